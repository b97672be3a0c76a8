package konomi.itest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.FaceDetector;
import konomi.api.Image;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelFactory;

/** Test doubles registered as services in place of networks and real model loaders. */
final class Doubles {
    private Doubles() {
    }

    /** A detector that reports the same faces for every image. */
    record FixedDetector(String name, List<Face> faces) implements FaceDetector {
        static FixedDetector oneFace(String name) {
            return new FixedDetector(name, List.of(new Face(new Box(1, 2, 30, 40), 0.9)));
        }

        @Override
        public List<Face> detect(Image image) {
            return faces;
        }
    }

    /**
     * A detector factory. It reads the model file it is given (so the test can check the extender handed
     * over the bundle's file), makes a {@link FixedDetector}, or throws {@code failure} when one is set.
     * Every call is queued so tests wait on them instead of guessing.
     */
    static final class DetectorFactory implements ModelFactory<FaceDetector> {
        record Created(ModelDescriptor descriptor, String fileContent, FaceDetector detector) {
        }

        final BlockingQueue<Created> created = new LinkedBlockingQueue<>();
        final BlockingQueue<ModelDescriptor> failed = new LinkedBlockingQueue<>();
        final BlockingQueue<FaceDetector> disposed = new LinkedBlockingQueue<>();
        private final String failure;

        DetectorFactory(String failure) {
            this.failure = failure;
        }

        @Override
        public Class<FaceDetector> serviceType() {
            return FaceDetector.class;
        }

        @Override
        public FaceDetector create(ModelDescriptor descriptor, Path modelFile) throws Exception {
            if (failure != null) {
                failed.add(descriptor);
                throw new Exception(failure);
            }
            FaceDetector d = FixedDetector.oneFace(descriptor.name());
            created.add(new Created(descriptor, Files.readString(modelFile, StandardCharsets.UTF_8), d));
            return d;
        }

        @Override
        public void dispose(FaceDetector service) {
            disposed.add(service);
        }
    }
}
