package konomi.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.KonomiException;
import konomi.api.train.SplitSpec;

class RecordedSplitTest {
    @TempDir
    Path dir;

    /** 3 classes x 40 files (names only: listing a dataset reads no pixels), pictures of two faces grouped. */
    Path dataset() throws Exception {
        Path ds = dir.resolve("ds");
        List<String> groups = new ArrayList<>(List.of("file,group"));
        for (String c : List.of("a", "b", "c")) {
            Files.createDirectories(ds.resolve(c));
            for (int i = 0; i < 40; i++) {
                Files.writeString(ds.resolve(c + "/" + i + ".png"), "x");
                groups.add(c + "/" + i + ".png,pic" + (i / 2));
            }
        }
        Files.write(dir.resolve("groups.csv"), groups);
        return ds;
    }

    @Test
    void recordsWhatTheSplitHeldBackAndReadsItBack() throws Exception {
        Path ds = dataset();
        SplitSpec spec = new SplitSpec(7, 0.2, 0.25, dir.resolve("groups.csv"));
        Dataset data = Dataset.read(ds, spec.groups());
        Split split = Split.of(data.samples(), spec.val(), spec.test(), spec.seed());
        RecordedSplit.of(data, split, spec).write(dir);

        RecordedSplit r = RecordedSplit.read(dir);
        assertThat(r.spec()).isEqualTo(spec.withGroups(spec.groups().toAbsolutePath()));
        assertThat(r.groupsSha256()).hasSize(64).isEqualTo(RecordedSplit.sha256(dir.resolve("groups.csv")));
        assertThat(r.train()).isEqualTo(split.train().size());
        assertThat(r.validation()).extracting(RecordedSplit.Entry::file).containsExactlyElementsOf(split.val().stream().map(Sample::id).toList());
        // evaluation without the groups file still finds exactly the files training held back
        List<Sample> again = r.testSamples(Dataset.read(ds, null), dir.resolve("split.json"));
        assertThat(again).extracting(Sample::id).containsExactlyElementsOf(split.test().stream().map(Sample::id).toList()).isNotEmpty();
        assertThat(r.test()).allMatch(e -> e.label().equals(e.file().substring(0, 1)));
        // ... which one group per image would not have given
        assertThat(Split.of(Dataset.read(ds, null).samples(), 0.2, 0.25, 7).test()).extracting(Sample::id)
                .isNotEqualTo(again.stream().map(Sample::id).toList());
    }

    @Test
    void aRunWithoutARecordHasNone() {
        assertThat(RecordedSplit.read(dir)).isNull();
    }

    @Test
    void refusesADatasetThatLostATestFile() throws Exception {
        Path ds = dataset();
        Dataset data = Dataset.read(ds, null);
        Split split = Split.of(data.samples(), 0.15, 0.15, 42);
        RecordedSplit.of(data, split, SplitSpec.defaults()).write(dir);
        String gone = split.test().get(0).id();
        Files.delete(ds.resolve(gone));
        assertThatThrownBy(() -> RecordedSplit.read(dir).testSamples(Dataset.read(ds, null), dir.resolve("split.json")))
                .isInstanceOf(KonomiException.class)
                .hasMessage(ds + ": does not match the run's recorded split " + dir.resolve("split.json") + ": 1 of " + split.test().size()
                        + " recorded test files missing (first " + gone + "); give --split all or --seed/--val/--test/--groups to evaluate"
                        + " on a split drawn again");
    }

    @Test
    void refusesRatingsThatChanged() throws Exception {
        List<String> rows = new ArrayList<>(List.of("file,score"));
        for (int i = 0; i < 60; i++) {
            rows.add("f" + i + ".png," + (1 + i % 5));
        }
        Path csv = Files.write(dir.resolve("ratings.csv"), rows);
        Dataset data = Dataset.read(csv, null);
        Split split = Split.of(data.samples(), 0.15, 0.3, 42);
        RecordedSplit.of(data, split, SplitSpec.defaults().withTest(0.3)).write(dir);
        Sample first = split.test().get(0);
        int line = Integer.parseInt(first.id().substring(1, first.id().indexOf('.'))) + 1;
        rows.set(line, first.id() + ",9");
        Files.write(csv, rows);
        assertThatThrownBy(() -> RecordedSplit.read(dir).testSamples(Dataset.read(csv, null), dir.resolve("split.json")))
                .hasMessageContaining("1 with another label (first " + first.id() + " (was " + first.target() + ", now 9.0))");
    }
}
