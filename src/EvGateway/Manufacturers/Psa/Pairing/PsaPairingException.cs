using System.Globalization;
using EvGateway.Vehicles;

namespace EvGateway.Manufacturers.Psa.Pairing;

/// <summary>Why pairing or a one-time password failed, for a caller that reacts differently to each.</summary>
public enum PsaPairingFailure
{
    /// <summary>The SMS code was refused (NOK:SN, NOK:CODE): type it again or ask for a new one.</summary>
    SmsCodeRejected,

    /// <summary>The PIN was refused (NOK:ACCESS).</summary>
    PinRejected,

    /// <summary>Too many activations on the account (NOK:MAXNBTOOLS, NOK:FORBIDDEN at activation, NOK:NOK_BLOCKED).</summary>
    AccountLocked,

    /// <summary>The soft token was revoked (NOK:FORBIDDEN on an OTP): pair again.</summary>
    PairingRevoked,

    /// <summary>No pairing is stored, or the stored one is unreadable.</summary>
    NotPaired,

    /// <summary>Six OTPs were taken in the last 24 hours; refused before any call.</summary>
    DailyOtpLimit,

    /// <summary>Another NOK:… answer: shown as it is, never retried in a loop.</summary>
    Refused,

    /// <summary>The inWebo server could not be reached or answered something unreadable.</summary>
    ServerFailed,

    /// <summary>A psa_car_controller otp.bin could not be read.</summary>
    ImportRejected,
}

/// <summary>
/// A refused pairing step or OTP, with a message a person can act on. Messages name the server's error string
/// (e.g. NOK:ACCESS) but never a code, PIN or key.
/// </summary>
public sealed class PsaPairingException(
    PsaPairingFailure failure, string code, int statusCode, string message, TimeSpan? retryAfter = null, string? serverError = null)
    : GatewayException(code, statusCode, message, retryAfter)
{
    /// <summary>The REST code of a refused activation (design.md: POST /api/accounts/psa/pairing → 400).</summary>
    public const string PairingRejectedCode = "pairing_rejected";

    /// <summary>The REST code when no usable pairing exists: the owner must pair (again).</summary>
    public const string PairingRequiredCode = "pairing_required";

    /// <summary>The REST code of the seventh OTP within 24 hours.</summary>
    public const string OtpLimitCode = "otp_daily_limit";

    public PsaPairingFailure Failure { get; } = failure;

    /// <summary>The server's error string (NOK:…) when the server refused; null for local refusals.</summary>
    public string? ServerError { get; } = serverError;

    internal static PsaPairingException FromServer(string? error, bool duringActivation)
    {
        var nok = string.IsNullOrEmpty(error) ? "no error string" : error;
        return nok switch
        {
            "NOK:SN" => Rejected(PsaPairingFailure.SmsCodeRejected, nok,
                "The SMS code was not accepted. Type the code from the latest text message exactly as received, or ask for a new one."),
            "NOK:CODE" => Rejected(PsaPairingFailure.SmsCodeRejected, nok,
                "The SMS code is wrong or has expired. Ask for a new text message and type the new code."),
            "NOK:ACCESS" when duringActivation => Rejected(PsaPairingFailure.PinRejected, nok,
                "The PIN was not accepted. Type the 4-digit PIN of the brand's app (the one chosen when the app was set up)."),
            "NOK:MAXNBTOOLS" or "NOK:NOK_BLOCKED" => Locked(nok),
            "NOK:FORBIDDEN" when duringActivation => Locked(nok),
            "NOK:FORBIDDEN" => new(PsaPairingFailure.PairingRevoked, PairingRequiredCode, 409,
                "PSA no longer accepts this pairing (the brand's app was paired again or the account was reset). "
                + "Pair again with a new SMS code and the PIN.", serverError: nok),
            _ => new(PsaPairingFailure.Refused, ErrorCodes.UpstreamUnavailable, 502,
                $"The inWebo server refused the request ({nok}). Try again later; if it keeps failing, pair again.", serverError: nok),
        };
    }

    internal static PsaPairingException DailyLimit(DateTimeOffset nextAllowed, TimeSpan retryAfter) =>
        new(PsaPairingFailure.DailyOtpLimit, OtpLimitCode, 429,
            string.Create(CultureInfo.InvariantCulture,
                $"{OtpState.DailyOtpLimit} one-time passwords were already taken in the last 24 hours, the most PSA allows. "
                + $"The next one can be taken after {nextAllowed.UtcDateTime:yyyy-MM-dd HH:mm} UTC."),
            retryAfter);

    internal static PsaPairingException NotPaired(string reason) =>
        new(PsaPairingFailure.NotPaired, PairingRequiredCode, 409, $"{reason} Pair with an SMS code and the PIN of the brand's app.");

    internal static PsaPairingException ServerFailed(string reason) =>
        new(PsaPairingFailure.ServerFailed, ErrorCodes.UpstreamUnavailable, 502, $"The inWebo server failed: {reason}");

    internal static PsaPairingException ImportRejected(string reason) =>
        new(PsaPairingFailure.ImportRejected, ErrorCodes.ValidationFailed, 400, $"The otp.bin file cannot be imported: {reason}");

    private static PsaPairingException Rejected(PsaPairingFailure failure, string nok, string message) =>
        new(failure, PairingRejectedCode, 400, $"{message} ({nok})", serverError: nok);

    private static PsaPairingException Locked(string nok) => Rejected(PsaPairingFailure.AccountLocked, nok,
        "PSA blocks new pairings on this account after about 20 activations. Reinstall the brand's app, pair it again "
        + "there, then pair here once more; do not retry before that, each attempt counts.");
}
