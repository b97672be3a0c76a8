package konomi.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.Score;
import konomi.api.Scorer;
import konomi.api.ServiceProps;
import konomi.api.gen.GenEpoch;
import konomi.api.gen.GenTrainOptions;
import konomi.api.gen.GenTrainResult;
import konomi.api.gen.FaceTransformer;
import konomi.api.gen.Generator;
import konomi.api.gen.GeneratorTrainer;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelRegistry;
import konomi.api.model.ModelStatus;
import konomi.imaging.Images;
import konomi.util.AtomicFile;

/**
 * {@code gen:list}, {@code gen:run}, {@code gen:transform}, {@code gen:train}: generators as installed models, and
 * training them.
 */
@Component(service = GenCommands.class, property = {"osgi.command.scope=gen", "osgi.command.function=list",
        "osgi.command.function=run", "osgi.command.function=transform", "osgi.command.function=train"})
public class GenCommands {
    private BundleContext context;
    @Reference
    private ModelRegistry registry;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Descriptor("list generator models: name, type, version, state (ACTIVE, LOADING, WAITING, FAILED), picture size")
    public void list() {
        Table t = new Table("name", "type", "version", "state", "size", "error");
        for (ModelStatus s : registry.models()) {
            ModelDescriptor d = s.descriptor();
            if (d != null && d.kind().equals("generator")) {
                t.row(d.name(), d.type(), d.version(), s.state(), d.input(), s.error());
            }
        }
        t.print(System.out);
    }

    @Descriptor("draw new faces with a generator: --n PNG samples and grid.png into --out (never replacing a file); "
            + "with --interpolate A,B a walk from seed A's face to seed B's in --steps pictures")
    public void run(
            @Descriptor("folder for the pictures (created; files already there are never replaced)") @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("number of samples") @Parameter(names = {"-n", "--n"}, absentValue = "64") int n,
            @Descriptor("seed: the same seed draws the same faces") @Parameter(names = {"--seed"}, absentValue = "1") long seed,
            @Descriptor("two seeds A,B: walk between their faces") @Parameter(names = {"--interpolate"}, absentValue = "") String interpolate,
            @Descriptor("pictures in an --interpolate walk, both ends included") @Parameter(names = {"--steps"}, absentValue = "8") int steps,
            @Descriptor("write the pictures this many times larger (bilinear)") @Parameter(names = {"--scale"}, absentValue = "1") int scale,
            @Descriptor("generator name (gen:list); the newest installed generator when left out") String... name) {
        if (out.isEmpty()) {
            throw new IllegalArgumentException("gen:run needs --out <folder>");
        }
        if (n < 1 || n > 10_000) {
            throw new IllegalArgumentException("--n must be between 1 and 10000, not " + n);
        }
        try (Held<Generator> held = hold(Generator.class, name.length == 0 ? null : name[0], "generator")) {
            draw(held.service(), out, n, seed, interpolate, steps, scale);
        }
    }

    private void draw(Generator g, String out, int n, long seed, String interpolate, int steps, int scale) {
        List<Image> images;
        String prefix;
        if (!interpolate.isEmpty()) {
            String[] ab = interpolate.split(",");
            if (ab.length != 2 || !ab[0].trim().matches("-?\\d+") || !ab[1].trim().matches("-?\\d+")) {
                throw new IllegalArgumentException("--interpolate wants two seeds A,B (e.g. 3,17), not " + interpolate);
            }
            if (steps < 2 || steps > 1000) {
                throw new IllegalArgumentException("--steps must be between 2 and 1000, not " + steps);
            }
            images = g.interpolate(Long.parseLong(ab[0].trim()), Long.parseLong(ab[1].trim()), steps);
            prefix = "step-";
        } else {
            images = g.generate(n, seed);
            prefix = "sample-";
        }
        if (scale < 1 || scale > 16) {
            throw new IllegalArgumentException("--scale must be between 1 and 16, not " + scale);
        }
        if (scale > 1) {
            images = images.stream().map(i -> Images.resize(i, i.width() * scale, i.height() * scale)).toList();
        }
        Path dir = Path.of(out);
        List<Path> targets = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            targets.add(dir.resolve(String.format(Locale.ROOT, "%s%03d.png", prefix, i)));
        }
        targets.add(dir.resolve("grid.png"));
        for (Path p : targets) {
            if (Files.exists(p)) {
                throw new KonomiException(p + ": already exists; gen:run never replaces files (choose another --out)");
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new KonomiException(dir + ": cannot create: " + e.getMessage());
        }
        for (int i = 0; i < images.size(); i++) {
            AtomicFile.write(targets.get(i), Images.png(images.get(i)));
        }
        int columns = interpolate.isEmpty() ? (int) Math.ceil(Math.sqrt(images.size())) : images.size();
        AtomicFile.write(targets.get(images.size()), Images.png(Images.grid(images, columns)));
        System.out.println(images.size() + " pictures (" + images.get(0).width() + "x" + images.get(0).height() + ") by " + g.name() + " in " + dir
                + ", and grid.png");
    }

    @Descriptor("redraw a face as another label with an autoencoder generator (gen:list, type cae), as a PNG at its size; "
            + "the character scorer, when installed, says whom it sees in the result")
    public void transform(
            @Descriptor("the label to draw the face as") @Parameter(names = {"--to"}, absentValue = "") String to,
            @Descriptor("the PNG to write (never replaces a file)") @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("[transformer] face: the autoencoder's name (the newest when left out) and the face picture") String... args) throws IOException {
        if (to.isEmpty() || out.isEmpty() || args.length < 1 || args.length > 2) {
            throw new IllegalArgumentException("usage: gen:transform [transformer] --to <label> --out <out.png> <face picture>");
        }
        Path face = Path.of(args[args.length - 1]), file = Path.of(out);
        if (Files.exists(file)) {
            throw new KonomiException(file + ": already exists; gen:transform never replaces files");
        }
        if (!Files.isRegularFile(face)) {
            throw new KonomiException(face + ": no such file");
        }
        try (Held<FaceTransformer> held = hold(FaceTransformer.class, args.length == 2 ? args[0] : null, "autoencoder")) {
            redraw(held.service(), face, file, to);
        }
    }

    private void redraw(FaceTransformer t, Path face, Path file, String to) throws IOException {
        Image input = Images.decode(face.toString(), Files.readAllBytes(face));
        Image redrawn;
        try {
            redrawn = t.transform(input, to);
        } catch (IllegalArgumentException e) {
            throw new KonomiException(e.getMessage());
        }
        AtomicFile.write(file, Images.png(redrawn));
        String verdict = "";
        try {
            Collection<ServiceReference<Scorer>> judges = context.getServiceReferences(Scorer.class, "(" + ServiceProps.NAME + "=character)");
            if (!judges.isEmpty()) {
                ServiceReference<Scorer> ref = judges.stream().max(ServiceReference::compareTo).orElseThrow();
                Scorer s = context.getService(ref);
                if (s != null) {
                    try {
                        Score sc = s.score(List.of(redrawn)).get(0);
                        verdict = String.format(Locale.ROOT, "; character sees %s (%.2f)", sc.label(), sc.value());
                    } finally {
                        context.ungetService(ref);
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        System.out.println(file + ": " + face.getFileName() + " redrawn as " + to + " by " + t.name() + verdict);
    }

    /** The generator of this name with the highest ranking (the newest version), or the highest-ranked of all. */
    /** A service got for one command, released when the command is done. */
    private record Held<S>(BundleContext context, ServiceReference<S> ref, S service) implements AutoCloseable {
        @Override
        public void close() {
            context.ungetService(ref);
        }
    }

    /** The highest-ranked service of this type whose {@code konomi.name} (or, with a null name, any) matches. */
    private <S> Held<S> hold(Class<S> type, String name, String what) {
        return holdMatching(type, name == null ? null : "(" + ServiceProps.NAME + "=" + name + ")",
                name == null ? "no " + what + " installed (gen:list)" : "no " + what + " named " + name + " (gen:list shows the installed ones)");
    }

    private <S> Held<S> holdMatching(Class<S> type, String filter, String missing) {
        Collection<ServiceReference<S>> refs;
        try {
            refs = context.getServiceReferences(type, filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("not a valid name: " + filter);
        }
        ServiceReference<S> best = refs.stream().max(ServiceReference::compareTo).orElseThrow(() -> new KonomiException(missing));
        S service = context.getService(best);
        if (service == null) {
            throw new KonomiException(missing + " (it went away)");
        }
        return new Held<>(context, best, service);
    }

    @Descriptor("train a generator on folders of face pictures (searched recursively), resuming from --out's checkpoint; "
            + "writes model.zip, report.html, train.csv, metrics.json and a sample grid per epoch; then model:package makes a model bundle")
    public void train(
            @Descriptor("output folder") @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("generator type: gan, or cae (a conditional autoencoder; its datasets hold one subfolder per label)") @Parameter(names = {"--type"}, absentValue = "gan") String type,
            @Descriptor("epochs") @Parameter(names = {"-e", "--epochs"}, absentValue = "30") int epochs,
            @Descriptor("batch size") @Parameter(names = {"-b", "--batch"}, absentValue = "64") int batch,
            @Descriptor("learning rate (Adam, both networks)") @Parameter(names = {"--lr"}, absentValue = "0.0002") double lr,
            @Descriptor("loss: hinge (SN-GAN) or dcgan") @Parameter(names = {"--loss"}, absentValue = "hinge") String loss,
            @Descriptor("no spectral normalisation of the discriminator (the DCGAN baseline has batch norm instead)")
            @Parameter(names = {"--no-sn"}, absentValue = "false", presentValue = "true") boolean noSn,
            @Descriptor("no differentiable augmentation") @Parameter(names = {"--no-augment"}, absentValue = "false", presentValue = "true") boolean noAugment,
            @Descriptor("decay of the generator's weight average, 0 for none") @Parameter(names = {"--ema"}, absentValue = "0.999") double ema,
            @Descriptor("base width of the networks") @Parameter(names = {"--width"}, absentValue = "32") int width,
            @Descriptor("latent vector length") @Parameter(names = {"--latent"}, absentValue = "128") int latent,
            @Descriptor("seed") @Parameter(names = {"--seed"}, absentValue = "1") long seed,
            @Descriptor("samples for FID/KID/faceness each measured epoch (0: none)") @Parameter(names = {"--eval-samples"}, absentValue = "5000") int evalSamples,
            @Descriptor("measure every Nth epoch (and the last)") @Parameter(names = {"--eval-every"}, absentValue = "1") int evalEvery,
            @Descriptor("use at most N training faces (a seeded random choice)") @Parameter(names = {"--limit"}, absentValue = "0") int limit,
            @Descriptor("installed scorer whose penultimate layer gives the FID/KID features") @Parameter(names = {"--features"}, absentValue = "character") String features,
            @Descriptor("start over instead of resuming") @Parameter(names = {"--fresh"}, absentValue = "false", presentValue = "true") boolean fresh,
            @Descriptor("folders of face pictures, comma separated") String datasets) {
        if (out.isEmpty()) {
            throw new IllegalArgumentException("gen:train needs --out <folder>");
        }
        try (Held<GeneratorTrainer> held = holdMatching(GeneratorTrainer.class, "(" + GeneratorTrainer.TYPE + "=" + type + ")",
                "no trainer for generator type " + type + " installed (konomi.gen." + type + ")")) {
            train(held.service(), out, epochs, batch, lr, loss, noSn, noAugment, ema, width, latent, seed, evalSamples, evalEvery, limit, features, fresh, datasets);
        }
    }

    private void train(GeneratorTrainer t, String out, int epochs, int batch, double lr, String loss, boolean noSn, boolean noAugment, double ema,
                       int width, int latent, long seed, int evalSamples, int evalEvery, int limit, String features, boolean fresh, String datasets) {
        GenTrainOptions o = new GenTrainOptions(epochs, batch, lr, loss, !noSn, !noAugment, ema, width, latent, seed, evalSamples, evalEvery,
                limit, !fresh, features);
        List<Path> folders = Args.names(datasets).stream().map(Path::of).toList();
        GenTrainResult r = t.train(folders, Path.of(out), o, new konomi.api.gen.GenTrainListener() {
            @Override
            public void epoch(GenEpoch e) {
                StringBuilder figures = new StringBuilder();
                e.figures().forEach((k, v) -> figures.append("  ").append(k.equals("fid") || k.equals("kid") ? k.toUpperCase(Locale.ROOT) : k)
                        .append(' ').append(String.format(Locale.ROOT, k.equals("fid") ? "%.2f" : "%.4f", v)));
                System.out.printf(Locale.ROOT, "epoch %3d/%d  D %.4f  G %.4f%s  %.0f img/s  %s  ETA %s%n",
                        e.epoch(), e.epochs(), e.discriminatorLoss(), e.generatorLoss(), figures, e.imagesPerSecond(),
                        TrainArgs.duration(e.seconds()), TrainArgs.duration(e.etaSeconds()));
            }

            @Override
            public void message(String text) {
                System.out.println(text);
            }
        });
        System.out.println("model " + r.model() + ", report " + r.report() + ", metrics " + r.metrics());
    }
}
