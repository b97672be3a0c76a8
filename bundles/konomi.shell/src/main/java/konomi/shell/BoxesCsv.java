package konomi.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import konomi.api.Box;
import konomi.api.KonomiException;

/** Reads labelled face boxes: CSV with header {@code file,x1,y1,x2,y2}, original pixels. */
final class BoxesCsv {
    private BoxesCsv() {
    }

    static Map<String, List<Box>> read(Path csv) {
        if (!Files.isRegularFile(csv)) {
            throw new KonomiException(csv + ": boxes file not found");
        }
        Map<String, List<Box>> boxes = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || !header.strip().replace(" ", "").equals("file,x1,y1,x2,y2")) {
                throw new KonomiException(csv + ":1: expected header file,x1,y1,x2,y2");
            }
            String line;
            int n = 1;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                int c = line.lastIndexOf(',', line.lastIndexOf(',', line.lastIndexOf(',', line.lastIndexOf(',') - 1) - 1) - 1);
                String[] xy = c < 0 ? new String[0] : line.substring(c + 1).split(",");
                if (xy.length != 4) {
                    throw new KonomiException(csv + ":" + n + ": expected file,x1,y1,x2,y2");
                }
                try {
                    String file = line.substring(0, c).replaceAll("^\"|\"$", "");
                    boxes.computeIfAbsent(file, k -> new ArrayList<>()).add(new Box(Integer.parseInt(xy[0].strip()),
                            Integer.parseInt(xy[1].strip()), Integer.parseInt(xy[2].strip()), Integer.parseInt(xy[3].strip())));
                } catch (IllegalArgumentException e) {
                    throw new KonomiException(csv + ":" + n + ": bad box: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new KonomiException(csv + ": cannot read: " + e.getMessage(), e);
        }
        return boxes;
    }
}
