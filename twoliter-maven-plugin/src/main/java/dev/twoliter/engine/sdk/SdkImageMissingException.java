package dev.twoliter.engine.sdk;

import dev.twoliter.engine.BuildEnvironmentException;

/**
 * The engine answered, but does not have the SDK image (and was not asked to pull it). Distinct from
 * an engine that fails, so that {@link EnginePool} can say which engine lacks it and how to copy it
 * there from one that has it.
 */
public class SdkImageMissingException extends BuildEnvironmentException {
    private static final long serialVersionUID = 1L;

    public SdkImageMissingException(String message) {
        super(message);
    }
}
