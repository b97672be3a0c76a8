package konomi.nn.gan;

import konomi.api.KonomiException;
import konomi.api.model.ModelDescriptor;

/** The header attributes every generator model bundle shares, checked in one place: picture size and latent length. */
public final class GeneratorHeader {
    private GeneratorHeader() {
    }

    /** Where a model file sits, for messages: {@code model/model.zip in konomi.model.faces}. */
    public static String where(ModelDescriptor d) {
        return d.file() + " in " + d.bundle();
    }

    /**
     * The {@code latent} attribute, after checking that {@code input}, when given, is the size generators draw.
     *
     * @param what what the model is, for messages ("a GAN generator")
     */
    public static int latent(ModelDescriptor d, String what) {
        String size = GanNets.SIZE + "x" + GanNets.SIZE + "x3";
        if (!d.input().isEmpty() && !d.input().equals(size)) {
            throw new KonomiException(where(d) + ": " + what + " draws " + size + " pictures, but the header says input=" + d.input());
        }
        try {
            return Integer.parseInt(d.attribute("latent", ""));
        } catch (NumberFormatException e) {
            throw new KonomiException(where(d) + ": the header needs latent=<length of the latent vector>, not '" + d.attribute("latent", "") + "'");
        }
    }
}
