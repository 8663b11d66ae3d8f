package io.giantvm.engine.linux;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * init.sh names the sysbench tests in a case statement of its own (the guest has no JVM): its arms must take
 * exactly the engine's names and pass sysbench the arguments {@code bench sysbench} runs on the host with.
 */
class SysbenchTestsAgreeWithInitTest {
    /** An arm: {@code  names) set -- args ;;} — '|' separates names; {@code "$t"} is the name itself. */
    private static final Pattern ARM = Pattern.compile("^\\s*([a-z|-]+)\\) set -- (.+?) ;;\\s*$", Pattern.MULTILINE);

    private static Map<String, List<String>> initArms() throws Exception {
        String init = Files.readString(Path.of("src/main/linux/init.sh"));
        Map<String, List<String>> arms = new LinkedHashMap<>();
        Matcher m = ARM.matcher(init);
        while (m.find()) {
            for (String name : m.group(1).split("\\|")) {
                List<String> args = Arrays.stream(m.group(2).split("\\s+")).map(a -> a.equals("\"$t\"") ? name : a).toList();
                arms.put(name, args);
            }
        }
        return arms;
    }

    @Test
    void initKnowsTheEngineTestsByTheSameNamesAndArguments() throws Exception {
        Map<String, List<String>> arms = initArms();
        assertThat(arms.keySet()).containsExactlyElementsOf(SysbenchTests.KNOWN);
        for (String test : SysbenchTests.KNOWN) {
            assertThat(arms.get(test)).as(test).isEqualTo(SysbenchTests.arguments(test));
        }
    }

    @Test
    void thePapersMemoryTestsUseFourKibBlocksAndOnlyTheTimeLimit() {
        assertThat(SysbenchTests.arguments("memory-read-global")).containsExactly("memory", "--memory-block-size=4K",
                "--memory-total-size=0", "--memory-oper=read", "--memory-scope=global");
        assertThat(SysbenchTests.arguments("memory-write-local")).contains("--memory-oper=write", "--memory-scope=local");
        assertThat(SysbenchTests.arguments("memory")).containsExactly("memory");
        assertThat(SysbenchTests.DEFAULT).containsExactly("cpu", "memory", "mutex", "threads");
        assertThatThrownBy(() -> SysbenchTests.arguments("fileio")).hasMessageStartingWith("unknown sysbench test 'fileio'");
    }
}
