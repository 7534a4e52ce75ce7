using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace EvGateway.Vehicles;

/// <summary>
/// How a gateway failure reads on the REST surface: RFC 9457 ProblemDetails with the stable <c>code</c> of
/// <see cref="ErrorCodes"/>, a title a person understands, and Retry-After where waiting helps. Every feature's
/// endpoints answer their failures in this one shape.
/// </summary>
public static class GatewayProblems
{
    /// <summary>
    /// Documents the ProblemDetails answers every car route may give besides its own: unknown car, refused login,
    /// missing capability, and the cloud's trouble (failure, quota, timeout).
    /// </summary>
    public static TBuilder WithGatewayProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in new[] { 401, 404, 501, 502, 503, 504 })
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
        }

        return builder;
    }

    /// <summary>The ProblemDetails of a gateway failure (shared by the REST handler and tests).</summary>
    public static ProblemDetails ToProblem(this GatewayException failure, string? instance = null) => new()
    {
        Status = failure.StatusCode,
        Title = TitleFor(failure.Code),
        Detail = failure.Message,
        Instance = instance,
        Extensions = { ["code"] = failure.Code },
    };

    public static string CodeForStatus(int? status) => status switch
    {
        400 => ErrorCodes.ValidationFailed,
        403 => ErrorCodes.Forbidden,
        404 => "not_found",
        405 => "method_not_allowed",
        415 => "unsupported_media_type",
        _ => "error",
    };

    private static string TitleFor(string code) => code switch
    {
        ErrorCodes.VehicleNotFound => "Unknown vehicle",
        ErrorCodes.CapabilityNotSupported => "Not supported by this car",
        ErrorCodes.UpstreamRateLimited => "The maker's cloud quota is exhausted",
        ErrorCodes.UpstreamUnavailable => "The maker's cloud failed",
        ErrorCodes.UpstreamTimeout => "The maker's cloud did not answer in time",
        ErrorCodes.InvalidCredentials => "The maker's cloud refused the login",
        ErrorCodes.ValidationFailed => "Invalid request",
        ErrorCodes.VehicleAsleep => "The car did not answer",
        ErrorCodes.PrivacyMode => "The car is in privacy mode",
        ErrorCodes.WakeUpLimit => "Too many wake-ups",
        ErrorCodes.Conflict => "Another action is in progress",
        ErrorCodes.Forbidden => "Not allowed",
        _ => "Request failed",
    };

    /// <summary>Adds Retry-After (whole seconds, at least 1) when the failure says how long to wait.</summary>
    public static void AddRetryAfter(HttpResponse response, TimeSpan? retryAfter)
    {
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
