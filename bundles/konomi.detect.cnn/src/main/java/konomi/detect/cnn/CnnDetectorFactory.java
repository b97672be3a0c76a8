package konomi.detect.cnn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import konomi.api.FaceDetector;
import konomi.api.KonomiException;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelFactory;
import konomi.nn.detect.DetectorMeta;

/**
 * Loads CNN detector model bundles ({@code Konomi-Model: detector;type=cnn;...;input=384x384x3;head=centre;stride=16},
 * or {@code head=yolo2;anchors=...}) whose file is a DL4J model zip ending in a {@code CnnLossLayer} with
 * {@code CentreLoss} or in a {@code Yolo2OutputLayer}. {@link #create} checks the zip against its
 * header without loading ND4J; the weights load on the first detection. Threshold and NMS come from ConfigAdmin
 * ({@link CnnDetectorConfig}), else from the header; a change applies to the next detection.
 */
@Component(configurationPid = CnnDetectorConfig.PID, service = ModelFactory.class,
        property = {ModelFactory.KIND + "=detector", ModelFactory.TYPE + "=cnn"})
@Designate(ocd = CnnDetectorConfig.class)
public class CnnDetectorFactory implements ModelFactory<FaceDetector> {
    private static final Logger LOG = LoggerFactory.getLogger(CnnDetectorFactory.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String YOLO2 = "org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer";
    static final String CNN_LOSS = "org.deeplearning4j.nn.conf.layers.CnnLossLayer";
    static final String CENTRE_LOSS = "konomi.nn.detect.CentreLoss";

    private volatile Map<String, Object> config = Map.of();
    private volatile String configSource = CnnDetectorConfig.PID;

    /**
     * Keeps the configuration even when invalid: detection then fails with the reason (naming the .cfg file)
     * instead of quietly running on the previous values.
     */
    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        configSource = file == null ? CnnDetectorConfig.PID : file.toString().replaceFirst("^file:", "");
        config = Map.copyOf(properties);
        try {
            CnnParams.resolve(configSource, config::get, new DetectorMeta(64, 16, new double[][] {{1, 1}}, 0.5, 0.5));
        } catch (KonomiException e) {
            LOG.error(e.getMessage());
        }
    }

    @Override
    public Class<FaceDetector> serviceType() {
        return FaceDetector.class;
    }

    @Override
    public FaceDetector create(ModelDescriptor d, Path modelFile) {
        DetectorMeta meta = meta(d);
        check(d, modelFile, meta);
        return new CnnFaceDetector(d.name(), meta, () -> CnnNetworks.restore(d, modelFile),
                () -> CnnParams.resolve(configSource, config::get, meta));
    }

    @Override
    public void dispose(FaceDetector detector) {
        if (detector instanceof CnnFaceDetector c) {
            c.close();
        }
    }

    /** The header as a detector description; one-line errors name the bundle. */
    static DetectorMeta meta(ModelDescriptor d) {
        Map<String, String> header = new HashMap<>(d.attributes());
        header.put("input", d.input()); // the extender keeps input apart from the other attributes
        return DetectorMeta.fromHeader(d.bundle(), header);
    }

    /**
     * Reads the zip's {@code configuration.json} (no ND4J): a multi-layer network whose last layer is a
     * {@code Yolo2OutputLayer} with the header's anchors, fed by a convolution of {@code anchors * 6} outputs, and
     * whose strides multiply to the header's stride.
     */
    static void check(ModelDescriptor d, Path modelFile, DetectorMeta meta) {
        String where = d.file() + " in " + d.bundle();
        if (!Files.isRegularFile(modelFile)) {
            throw new KonomiException(where + ": model file missing");
        }
        JsonNode confs;
        try (ZipFile zip = new ZipFile(modelFile.toFile())) {
            ZipEntry conf = zip.getEntry("configuration.json"), coefficients = zip.getEntry("coefficients.bin");
            if (conf == null || coefficients == null) {
                throw new KonomiException(where + ": not a DL4J model zip (configuration.json or coefficients.bin missing)");
            }
            confs = JSON.readTree(zip.getInputStream(conf)).path("confs");
        } catch (IOException e) {
            throw new KonomiException(where + ": not a DL4J model zip (" + e.getMessage() + ")");
        }
        if (!confs.isArray() || confs.size() < 2) {
            throw new KonomiException(where + ": not a DL4J multi-layer network configuration");
        }
        JsonNode last = confs.get(confs.size() - 1).path("layer");
        if (meta.centred()) {
            checkCentre(where, confs, last);
        } else {
            checkYolo(where, confs, last, meta);
        }
        long stride = 1;
        for (JsonNode c : confs) {
            JsonNode s = c.path("layer").path("stride");
            if (s.isArray() && s.size() == 2) {
                stride *= s.get(0).asLong(1);
            }
        }
        if (stride != meta.stride()) {
            throw new KonomiException(where + ": the network's output stride is " + stride + " but the header says stride=" + meta.stride());
        }
    }

    /** A centre head: a {@code CnnLossLayer} with {@code CentreLoss}, fed by a convolution of its 5 channels. */
    private static void checkCentre(String where, JsonNode confs, JsonNode last) {
        String loss = last.path("lossFn").path("@class").asText();
        if (!CNN_LOSS.equals(last.path("@class").asText()) || !CENTRE_LOSS.equals(loss)) {
            throw new KonomiException(where + ": not a centre-head detector (its last layer is " + simple(last.path("@class").asText())
                    + (loss.isEmpty() ? "" : " with " + simple(loss)) + ", not CnnLossLayer with CentreLoss); is the header's head= right?");
        }
        long nOut = confs.get(confs.size() - 2).path("layer").path("nout").asLong(-1);
        if (nOut != 5) {
            throw new KonomiException(where + ": the layer before the output has " + nOut + " outputs but a centre head needs 5 "
                    + "(heatmap, 2 offsets, 2 log sizes)");
        }
    }

    private static void checkYolo(String where, JsonNode confs, JsonNode last, DetectorMeta meta) {
        if (!YOLO2.equals(last.path("@class").asText())) {
            throw new KonomiException(where + ": not a YOLO detector (its last layer is " + simple(last.path("@class").asText())
                    + ", not Yolo2OutputLayer)");
        }
        int anchors = meta.anchors().length;
        JsonNode head = confs.get(confs.size() - 2).path("layer");
        long nOut = head.path("nout").asLong(-1);
        if (nOut != anchors * 6L) {
            throw new KonomiException(where + ": the layer before the output has " + nOut + " outputs but the header's " + anchors
                    + " anchors need " + anchors * 6 + " (5 box values + 1 class each)");
        }
        double[] priors = numbers(last.path("boundingBoxes"));
        if (priors != null && priors.length == anchors * 2) {
            for (int i = 0; i < anchors; i++) {
                if (Math.abs(priors[2 * i] - meta.anchors()[i][0]) > 1e-3 || Math.abs(priors[2 * i + 1] - meta.anchors()[i][1]) > 1e-3) {
                    throw new KonomiException(where + ": the network's anchors differ from the header's anchors=\"" + meta.anchorList() + "\"");
                }
            }
        } else if (priors != null) {
            throw new KonomiException(where + ": the network has " + priors.length / 2 + " anchors, the header " + anchors);
        }
    }

    /** An NDArray as DL4J writes it in JSON (a {@code data} array, possibly nested), or null when not found. */
    private static double[] numbers(JsonNode n) {
        JsonNode data = n.has("data") ? n.path("data") : n;
        if (!data.isArray()) {
            return null;
        }
        java.util.List<Double> out = new java.util.ArrayList<>();
        flatten(data, out);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void flatten(JsonNode n, java.util.List<Double> out) {
        if (n.isArray()) {
            n.forEach(c -> flatten(c, out));
        } else if (n.isNumber() || n.isTextual()) {
            try {
                out.add(n.isNumber() ? n.asDouble() : Double.parseDouble(n.asText()));
            } catch (NumberFormatException ignored) {
                // not a number: not part of the priors
            }
        }
    }

    private static String simple(String cls) {
        return cls.isEmpty() ? "unknown" : cls.substring(cls.lastIndexOf('.') + 1);
    }
}
