package com.flashsale.token.human;

/**
 * A hosted captcha provider (Cloudflare Turnstile, reCAPTCHA, hCaptcha: they share the siteverify
 * form). {@link SiteVerifyCaptcha} is the one implementation; a test or another provider replaces it.
 */
public interface CaptchaVerifier {

    /**
     * True when the provider says the widget's response token is good (it is spent there: the
     * providers accept each once). False when it says no. Provider unreachable, slow or answering
     * something else: an ApiException 503 UNAVAILABLE, never a pass.
     */
    boolean verify(String response, String remoteIp);
}
