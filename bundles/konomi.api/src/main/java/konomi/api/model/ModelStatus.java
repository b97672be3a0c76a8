package konomi.api.model;

/**
 * The extender's view of one model bundle.
 *
 * @param bundleId   the bundle's id
 * @param location   where the bundle was installed from
 * @param descriptor the parsed header, or null when the header could not be parsed
 * @param state      see {@link State}
 * @param error      why the model failed, one line, or null
 */
public record ModelStatus(long bundleId, String location, ModelDescriptor descriptor, State state, String error) {

    public enum State {
        /** Its service is registered. */
        ACTIVE,
        /** No installed bundle can load this kind/type yet. */
        WAITING,
        /** Its model is queued for loading or being loaded (in the background: big networks take seconds). */
        LOADING,
        /** The header or the model file is broken; see the error. */
        FAILED
    }
}
