package konomi.detect.cnn;

import java.util.List;
import java.util.function.Supplier;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import konomi.api.Face;
import konomi.api.FaceDetector;
import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.nn.NativeMemory;
import konomi.nn.detect.DetectorMeta;
import konomi.nn.detect.Placement;
import konomi.nn.detect.DetectorNets;

/**
 * One CNN detector model, run exactly as training measured it ({@code DetectionRun.detect}): the picture letterboxed
 * into the square input ({@link Placement#letterbox}), one forward pass, the head's decoding and NMS, boxes mapped
 * back to the picture's pixels, most confident first. The network loads on first use; one forward pass at a time
 * (a {@code MultiLayerNetwork} keeps per-call state); the input and output buffers are freed after each picture.
 */
final class CnnFaceDetector implements FaceDetector {
    private final String name;
    private final DetectorMeta meta;
    private final Supplier<MultiLayerNetwork> loader;
    private final Supplier<CnnParams> params;
    private MultiLayerNetwork net; // guarded by this
    private DetectorNets.Decoder decoder; // guarded by this
    private boolean closed; // guarded by this

    CnnFaceDetector(String name, DetectorMeta meta, Supplier<MultiLayerNetwork> loader, Supplier<CnnParams> params) {
        this.name = name;
        this.meta = meta;
        this.loader = loader;
        this.params = params;
    }

    @Override
    public String name() {
        return name;
    }

    DetectorMeta meta() {
        return meta;
    }

    @Override
    public List<Face> detect(Image image) {
        CnnParams p = params.get(); // fails with the .cfg file's name on bad values
        int s = meta.size();
        Placement place = Placement.letterbox(image.width(), image.height(), s);
        float[] x = new float[3 * s * s];
        place.render(image, x, 0);
        INDArray in = null, out = null;
        try {
            synchronized (this) {
                if (closed) {
                    throw new KonomiException("detector " + name + " was unloaded");
                }
                if (net == null) {
                    net = loader.get();
                    decoder = DetectorNets.decoder(meta);
                }
                in = Nd4j.create(x, new long[] {1, 3, s, s}, 'c');
                out = net.output(in, false);
                return decoder.faces(out, 0, place, image.width(), image.height(), p.threshold(), p.nms());
            }
        } finally {
            NativeMemory.close(in);
            NativeMemory.close(out);
            NativeMemory.collectPeriodically();
        }
    }

    /** Frees the network's native memory; later detections fail. */
    synchronized void close() {
        closed = true;
        if (net != null) {
            net.close();
            net = null;
        }
        decoder = null;
    }
}
