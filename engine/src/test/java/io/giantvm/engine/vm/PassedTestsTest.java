package io.giantvm.engine.vm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A retry after a frozen VM runs exactly the tests that had not passed. */
class PassedTestsTest {
    private static TestDescriptor test(String method) {
        UniqueId id = UniqueId.forEngine("junit-jupiter").append("class", "X").append("method", method);
        return new AbstractTestDescriptor(id, method) {
            @Override
            public Type getType() {
                return Type.TEST;
            }
        };
    }

    @Test
    void testsRecordedAsPassedAreLeftOutOfTheNextAttemptAndOnlyThose(@TempDir Path dir) {
        Path file = dir.resolve("passed.txt");
        PassedTests first = new PassedTests(file);
        assertThat(first.countBefore()).isZero();
        assertThat(first.notYetPassed().apply(test("a")).included()).isTrue();
        first.record(test("a").getUniqueId().toString());
        first.record(test("b").getUniqueId().toString());

        PassedTests retry = new PassedTests(file);
        assertThat(retry.countBefore()).isEqualTo(2);
        assertThat(retry.notYetPassed().apply(test("a")).excluded()).isTrue();
        assertThat(retry.notYetPassed().apply(test("b")).excluded()).isTrue();
        assertThat(retry.notYetPassed().apply(test("c")).included()).isTrue();
    }
}
