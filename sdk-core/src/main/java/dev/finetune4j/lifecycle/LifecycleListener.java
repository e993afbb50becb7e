package dev.finetune4j.lifecycle;

/**
 * Hears the chat router's lifecycle warnings: a model served within the warning window of its
 * shutdown, at most once per model and day. Set with {@code FineTuning.builder().lifecycleListener(...)};
 * called on the chat call's thread, so keep it short. What it throws is logged and ignored: a warning
 * never fails a chat call.
 */
@FunctionalInterface
public interface LifecycleListener {

    /** A listener that does nothing. */
    static LifecycleListener none() {
        return w -> { };
    }

    /** Called when a model close to (or past) its shutdown answered a call. */
    void onWarning(LifecycleWarning warning);
}
