package io.jctr.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jctr.spi.JctrException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessUserTest {

    static final String PASSWD = SpecGeneratorTest.PASSWD;
    static final String GROUP = SpecGeneratorTest.GROUP;

    @Test
    void namesAndNumbersAsContainerdResolvesThem() {
        assertEquals(new ProcessUser(0, 0, List.of(0L, 10L)), ProcessUser.resolve("", "--user", PASSWD, GROUP));
        assertEquals(new ProcessUser(33, 33, List.of(33L, 10L, 29L)), ProcessUser.resolve("www", "--user", PASSWD, GROUP));
        assertEquals(new ProcessUser(33, 33, List.of(33L, 10L, 29L)), ProcessUser.resolve("33", "--user", PASSWD, GROUP));
        assertEquals(new ProcessUser(33, 10, List.of(10L, 29L)), ProcessUser.resolve("www:wheel", "--user", PASSWD, GROUP));
        assertEquals(new ProcessUser(33, 7, List.of(7L, 10L, 29L)), ProcessUser.resolve("www:7", "--user", PASSWD, GROUP));
        // a uid missing from passwd runs with gid 0 and no supplementary groups, as containerd's WithUserID
        assertEquals(new ProcessUser(1234, 0, List.of(0L)), ProcessUser.resolve("1234", "--user", PASSWD, GROUP));
        assertEquals(new ProcessUser(1234, 5, List.of(5L)), ProcessUser.resolve("1234:5", "--user", "", ""));
    }

    @Test
    void unknownNamesAndMalformedValuesAreInvalid() {
        for (String bad : new String[] {"nosuch", "www:nosuch", ":", "www:", ":0", "99999999999"}) {
            JctrException e = assertThrows(JctrException.class, () -> ProcessUser.resolve(bad, "--user", PASSWD, GROUP), bad);
            assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind());
            assertEquals(true, e.getMessage().startsWith("--user \"" + bad + "\""), e.getMessage());
        }
        JctrException e = assertThrows(JctrException.class, () -> ProcessUser.resolve("app", "image config User", "", ""));
        assertEquals("image config User \"app\": no user \"app\" in the image's /etc/passwd: invalid argument", e.getMessage());
    }
}
