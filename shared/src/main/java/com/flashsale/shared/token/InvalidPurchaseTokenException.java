package com.flashsale.shared.token;

/** The token is malformed, forged, expired, signed by an unknown key, or for another user or product. */
public final class InvalidPurchaseTokenException extends Exception {

    public InvalidPurchaseTokenException(String message) {
        super(message, null, false, false);
    }
}
