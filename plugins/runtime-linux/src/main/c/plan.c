/*
 * Reading the plan. Every reader checks what it needs against what is left, so a hostile or
 * truncated plan fails cleanly; the checks mirror PlanReader.java and PlanDecoder.java, since
 * the helper must refuse exactly the plans the Java side refuses.
 */
#include "helper.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char plan_error[256];

void rd_fail(struct cur *c, const char *fmt, ...)
{
    if (plan_error[0])
        return;
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(plan_error, sizeof plan_error, "launch plan: %s at byte %u", what, c->at);
}

static int need(struct cur *c, uint32_t n)
{
    if (plan_error[0])
        return 0;
    if (c->left < n) {
        rd_fail(c, "truncated: need %u bytes, %u left", n, c->left);
        return 0;
    }
    return 1;
}

static uint64_t take(struct cur *c, int n)
{
    if (!need(c, (uint32_t)n))
        return 0;
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | c->p[i];
    c->p += n;
    c->left -= (uint32_t)n;
    c->at += (uint32_t)n;
    return v;
}

uint8_t rd_u8(struct cur *c) { return (uint8_t)take(c, 1); }
uint16_t rd_u16(struct cur *c) { return (uint16_t)take(c, 2); }
int32_t rd_i32(struct cur *c) { return (int32_t)(uint32_t)take(c, 4); }
int64_t rd_i64(struct cur *c) { return (int64_t)take(c, 8); }

int rd_bool(struct cur *c)
{
    uint8_t v = rd_u8(c);
    if (v > 1)
        rd_fail(c, "boolean byte %u is neither 0 nor 1", v);
    return v == 1;
}

uint32_t rd_count(struct cur *c, uint32_t min_size)
{
    int32_t n = rd_i32(c);
    if (plan_error[0])
        return 0;
    if (n < 0 || (uint64_t)n * min_size > c->left) {
        rd_fail(c, "count %u exceeds the remaining %u bytes", (uint32_t)n, c->left);
        return 0;
    }
    return (uint32_t)n;
}

/* As PlanReader.slice: offsets in the slice count from its start. */
struct cur rd_slice(struct cur *c, uint32_t length)
{
    struct cur s = { c->p, 0, 0 };
    if (need(c, length)) {
        s.left = length;
        c->p += length;
        c->left -= length;
        c->at += length;
    }
    return s;
}

/* Strict UTF-8, as Java's decoder with CodingErrorAction.REPORT: no overlong forms, no
 * surrogates, nothing above U+10FFFF. */
static int utf8_ok(const uint8_t *s, uint32_t n)
{
    uint32_t i = 0;
    while (i < n) {
        uint8_t b = s[i];
        int more;
        uint8_t lo = 0x80, hi = 0xbf;
        if (b < 0x80) {
            i++;
            continue;
        } else if (b >= 0xc2 && b <= 0xdf) {
            more = 1;
        } else if (b >= 0xe0 && b <= 0xef) {
            more = 2;
            if (b == 0xe0)
                lo = 0xa0;
            if (b == 0xed)
                hi = 0x9f;
        } else if (b >= 0xf0 && b <= 0xf4) {
            more = 3;
            if (b == 0xf0)
                lo = 0x90;
            if (b == 0xf4)
                hi = 0x8f;
        } else {
            return 0;
        }
        if (n - i - 1 < (uint32_t)more)
            return 0;
        for (int k = 1; k <= more; k++) {
            uint8_t t = s[i + k];
            if (t < (k == 1 ? lo : 0x80) || t > (k == 1 ? hi : 0xbf))
                return 0;
        }
        i += (uint32_t)more + 1;
    }
    return 1;
}

char *rd_str(struct cur *c)
{
    static char empty[1];
    uint32_t n = rd_count(c, 1);
    if (plan_error[0])
        return empty;
    const uint8_t *s = c->p;
    c->p += n;
    c->left -= n;
    c->at += n;
    if (memchr(s, 0, n)) {
        rd_fail(c, "string contains a NUL byte");
        return empty;
    }
    if (!utf8_ok(s, n)) {
        rd_fail(c, "string is not valid UTF-8");
        return empty;
    }
    char *out = malloc(n + 1);
    if (!out)
        abort();
    memcpy(out, s, n);
    out[n] = 0;
    return out;
}

char **rd_strs(struct cur *c)
{
    static char *none[1];
    uint32_t n = rd_count(c, 4);
    if (plan_error[0])
        return none;
    char **v = calloc(n + 1, sizeof *v);
    if (!v)
        abort();
    for (uint32_t i = 0; i < n; i++)
        v[i] = rd_str(c);
    return v;
}

int64_t *rd_longs(struct cur *c, uint32_t *count)
{
    static int64_t none[1];
    uint32_t n = rd_count(c, 8);
    *count = 0;
    if (plan_error[0])
        return none;
    int64_t *v = calloc(n + 1, sizeof *v);
    if (!v)
        abort();
    for (uint32_t i = 0; i < n; i++)
        v[i] = rd_i64(c);
    *count = n;
    return v;
}
