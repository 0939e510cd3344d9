package dev.hypha.model;

/** A value that breaks a rule of the model; its message is meant for the person who sent it. */
public class InvalidSpecException extends IllegalArgumentException {
    public InvalidSpecException(String message) {
        super(message);
    }
}
