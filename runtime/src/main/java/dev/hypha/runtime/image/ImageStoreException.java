package dev.hypha.runtime.image;

/** Raised when an image cannot be imported, found or unpacked; the message says why and what to do. */
public final class ImageStoreException extends RuntimeException {
    public ImageStoreException(String message) {
        super(message);
    }

    public ImageStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
