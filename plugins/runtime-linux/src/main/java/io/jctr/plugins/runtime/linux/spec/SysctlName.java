package io.jctr.plugins.runtime.linux.spec;

/**
 * Sysctl names in their two spellings. sysctl(8) accepts "/" as the separator as well as ".";
 * in the slashed spelling a "." belongs to a component ({@code net/ipv4/conf/eth0.100/rp_filter}
 * is {@code net.ipv4.conf.eth0/100.rp_filter} dotted), so converting swaps the two characters.
 */
public final class SysctlName {

    private SysctlName() {
    }

    /** The dotted spelling of {@code name}. */
    public static String dotted(String name) {
        int first = firstSeparator(name);
        if (first < 0 || name.charAt(first) == '.') {
            return name;
        }
        StringBuilder b = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            b.append(c == '.' ? '/' : c == '/' ? '.' : c);
        }
        return b.toString();
    }

    /**
     * The file under {@code /proc/sys} for a {@link #wellFormed} dotted name, e.g.
     * {@code /proc/sys/net/ipv4/conf/eth0.100/rp_filter}.
     */
    public static String procPath(String dottedName) {
        StringBuilder b = new StringBuilder("/proc/sys");
        for (String component : dottedName.split("\\.", -1)) {
            b.append('/').append(component.replace('/', '.'));
        }
        return b.toString();
    }

    /**
     * Whether every component of the dotted name is a plain file name: not empty, not
     * {@code .} or {@code ..}, no blanks or control characters — so {@link #procPath} stays
     * under {@code /proc/sys}.
     */
    public static boolean wellFormed(String dottedName) {
        for (String component : dottedName.split("\\.", -1)) {
            String c = component.replace('/', '.');
            if (c.isEmpty() || c.equals(".") || c.equals("..")
                    || c.chars().anyMatch(ch -> ch <= ' ' || ch == 0x7f)) {
                return false;
            }
        }
        return true;
    }

    private static int firstSeparator(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '.' || s.charAt(i) == '/') {
                return i;
            }
        }
        return -1;
    }
}
