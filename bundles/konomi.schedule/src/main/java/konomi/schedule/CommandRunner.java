package konomi.schedule;

/** Runs a schedule's command line or script; returning normally means it worked. */
interface CommandRunner {
    /** @throws Exception whose message (its first line) is recorded as {@code failed: <message>} */
    void run(Schedule schedule) throws Exception;
}
