package io.jctr.core.config;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Binds a plain configuration interface (see {@link io.jctr.spi.Registration}) to a section of
 * the daemon configuration. Every key is read and converted when binding, so a wrong value fails
 * at start-up with the key in the message instead of at first use; the returned proxy only hands
 * out the values it holds.
 */
public final class ConfigBinder {

    private ConfigBinder() {
    }

    /**
     * @param prefix the section, e.g. {@code jctr} or {@code jctr.plugins."io.jctr.content.v1.local"}
     * @throws IllegalArgumentException naming the key when a value is missing or cannot be converted
     */
    public static <C> C bind(Config config, String prefix, Class<C> type) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0 || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String key = prefix + "." + kebab(m.getName());
            values.put(m.getName(), read(config, key, m, type));
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "toString" -> type.getSimpleName() + values;
                    case "hashCode" -> System.identityHashCode(p);
                    default -> p == args[0];
                };
            }
            return values.get(method.getName());
        });
        return type.cast(proxy);
    }

    /** {@code mountProgram} → {@code mount-program}. */
    static String kebab(String name) {
        StringBuilder b = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append('-').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static Object read(Config config, String key, Method m, Class<?> owner) {
        Type generic = m.getGenericReturnType();
        boolean optional = m.getReturnType() == Optional.class;
        Type target = optional ? ((ParameterizedType) generic).getActualTypeArguments()[0] : generic;
        Object value;
        try {
            if (isStringList(target)) {
                value = config.getOptionalValues(key, String.class).map(l -> (Object) List.copyOf(l)).orElse(null);
            } else {
                value = config.getOptionalValue(key, String.class).map(s -> convert(s.trim(), (Class<?>) target)).orElse(null);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid value for config key " + key + ": " + e.getMessage(), e);
        }
        if (optional) {
            return Optional.ofNullable(value);
        }
        if (value != null) {
            return value;
        }
        if (m.isDefault()) {
            return invokeDefault(m, owner);
        }
        throw new IllegalArgumentException("missing value for config key " + key);
    }

    private static boolean isStringList(Type t) {
        return t instanceof ParameterizedType p && p.getRawType() == List.class
                && p.getActualTypeArguments()[0] == String.class;
    }

    static Object convert(String s, Class<?> type) {
        if (type == String.class) {
            return s;
        }
        if (type == int.class || type == Integer.class) {
            return parse(() -> Integer.valueOf(s), s, "an integer");
        }
        if (type == long.class || type == Long.class) {
            return parse(() -> Long.valueOf(s), s, "an integer");
        }
        if (type == double.class || type == Double.class) {
            return parse(() -> Double.valueOf(s), s, "a number");
        }
        if (type == boolean.class || type == Boolean.class) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
                default -> throw new IllegalArgumentException("\"" + s + "\" is not a boolean (true or false)");
            };
        }
        if (type == Path.class) {
            return Path.of(s);
        }
        if (type == Duration.class) {
            return duration(s);
        }
        throw new IllegalArgumentException("unsupported config type " + type.getName());
    }

    private static Duration duration(String s) {
        try {
            if (s.startsWith("P") || s.startsWith("p")) {
                return Duration.parse(s);
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("\"" + s + "\" is not a duration (e.g. 10s, 500ms, 5m, PT1H)", e);
        }
    }

    private static Object parse(java.util.function.Supplier<Object> parser, String s, String what) {
        try {
            return parser.get();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + s + "\" is not " + what, e);
        }
    }

    private static Object invokeDefault(Method m, Class<?> owner) {
        try {
            Object instance = Proxy.newProxyInstance(owner.getClassLoader(), new Class<?>[] {owner}, (p, mm, a) -> null);
            return MethodHandles.privateLookupIn(owner, MethodHandles.lookup())
                    .unreflectSpecial(m, owner).bindTo(instance).invokeWithArguments();
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read default of " + owner.getName() + "." + m.getName() + ": " + e, e);
        }
    }
}
