namespace EvGateway.Vehicles;

/// <summary>
/// A failure the gateway explains to its caller: a stable <see cref="Code"/> (design.md's list), the HTTP status it maps to,
/// and when it applies, how long to wait. Messages never carry secrets.
/// </summary>
public class GatewayException(string code, int statusCode, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public string Code { get; } = code;
    public int StatusCode { get; } = statusCode;
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public static GatewayException VehicleNotFound(string vin) =>
        new(ErrorCodes.VehicleNotFound, 404, $"No car with VIN {vin} on the configured accounts.");

    public static GatewayException CapabilityNotSupported(string vin, string what) =>
        new(ErrorCodes.CapabilityNotSupported, 501, $"The car {vin} does not support {what}.");

    public static GatewayException RateLimited(string maker, TimeSpan retryAfter) =>
        new(ErrorCodes.UpstreamRateLimited, 503, $"The {maker} cloud quota is exhausted; the gateway pauses calls to it.", retryAfter);

    /// <summary>
    /// The gateway's own call budget for the maker account has no room for this caller's priority: nothing was sent.
    /// A 429, since it is the caller's rate that is refused, with when room frees up.
    /// </summary>
    public static GatewayException BudgetExhausted(string maker, TimeSpan retryAfter) =>
        new(ErrorCodes.UpstreamRateLimited, 429,
            $"The {maker} call budget for this hour is kept for higher priorities; the last known status is served once there is one.", retryAfter);

    public static GatewayException Unavailable(string maker, string reason, Exception? inner = null) =>
        new(ErrorCodes.UpstreamUnavailable, 502, $"The {maker} cloud failed: {reason}", null, inner);

    public static GatewayException InvalidCredentials(string maker, string reason) =>
        new(ErrorCodes.InvalidCredentials, 401, $"{maker} login failed: {reason}");

    public static GatewayException Asleep(string vin, string reason) =>
        new(ErrorCodes.VehicleAsleep, 504, $"The car {vin} did not answer: {reason}");

    public static GatewayException PrivacyMode(string vin) =>
        new(ErrorCodes.PrivacyMode, 409, $"The car {vin} is in privacy mode; it shares no data and takes no remote commands.");

    public static GatewayException Conflict(string message) => new(ErrorCodes.Conflict, 409, message);

    public static GatewayException Forbidden(string message) => new(ErrorCodes.Forbidden, 403, message);

    public static GatewayException Validation(string message) => new(ErrorCodes.ValidationFailed, 400, message);
}

/// <summary>The stable machine-readable codes of the REST surface's ProblemDetails (`code` extension).</summary>
public static class ErrorCodes
{
    public const string VehicleNotFound = "vehicle_not_found";
    public const string CapabilityNotSupported = "capability_not_supported";
    public const string UpstreamRateLimited = "upstream_rate_limited";
    public const string UpstreamUnavailable = "upstream_unavailable";
    public const string UpstreamTimeout = "upstream_timeout";
    public const string InvalidCredentials = "invalid_credentials";
    public const string ValidationFailed = "validation_failed";
    public const string VehicleAsleep = "vehicle_asleep";
    public const string PrivacyMode = "privacy_mode";
    public const string Conflict = "action_in_progress";
    public const string Forbidden = "forbidden";
    public const string WakeUpLimit = "wake_up_limit";
}
