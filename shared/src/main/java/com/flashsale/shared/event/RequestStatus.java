package com.flashsale.shared.event;

/** The life of a purchase request: PENDING until the order consumer decides, then final. */
public enum RequestStatus {
    PENDING, SUCCESS, FAILED
}
