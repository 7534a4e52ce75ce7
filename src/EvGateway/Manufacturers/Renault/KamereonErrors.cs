using System.Net;
using System.Text.Json;
using EvGateway.Vehicles;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace EvGateway.Manufacturers.Renault;

/// <summary>Turns Kamereon's answers and transport failures into gateway errors (renault.md §3).</summary>
internal static class KamereonErrors
{
    private const string Maker = RenaultProvider.MakerName;

    /// <summary>True when the answer is Kamereon's quota refusal (about 60 calls per hour per account).</summary>
    public static bool IsQuotaExhausted(ApiException e) =>
        e.StatusCode == HttpStatusCode.TooManyRequests || Codes(e.Content).Contains("err.func.wired.overloaded");

    public static GatewayException Translate(ApiException e, string vin, string what)
    {
        var body = e.Content;
        var codes = Codes(body);
        var status = (int)e.StatusCode;

        if (IsAccessDenied(body))
        {
            return GatewayException.Unavailable(Maker, "Kamereon API key rejected; update Renault:KamereonApiKey to the key of the current MyRenault app", e);
        }

        if (status == 409 || codes.Contains("409001"))
        {
            return GatewayException.Conflict($"Another remote action is already in progress on the car {vin}; try again when it ends.");
        }

        if (codes.Contains("err.func.privacy.on") || codes.Contains("403011") || codes.Contains("403009"))
        {
            return GatewayException.PrivacyMode(vin);
        }

        if (status == 400 || codes.Contains("err.func.400"))
        {
            return GatewayException.Validation($"The Renault cloud rejected the {what} request: {Detail(body) ?? "bad request"}.");
        }

        if (status is 403 or 404 or 501 || codes.Overlaps(UnsupportedCodes))
        {
            return GatewayException.CapabilityNotSupported(vin, what);
        }

        if (status == 401)
        {
            return GatewayException.Unavailable(Maker, "Kamereon rejected a freshly issued login token", e);
        }

        if (e is ValidationApiException or { StatusCode: HttpStatusCode.OK })
        {
            return GatewayException.Unavailable(Maker, $"the {what} answer could not be read", e);
        }

        return GatewayException.Unavailable(Maker, $"{what} failed with HTTP {status}", e);
    }

    /// <summary>True for failures before any answer arrived: timeouts, refused connections, an open circuit. Refit wraps
    /// them (and errors of the auth handler) in <see cref="ApiRequestException"/>.</summary>
    public static bool IsSendFailure(Exception e, CancellationToken cancellationToken) =>
        e is ApiRequestException or HttpRequestException or TimeoutRejectedException or BrokenCircuitException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>What to throw for a send failure: the gateway error it stands for, or the caller's own cancellation.</summary>
    public static Exception FromSendFailure(Exception e, CancellationToken cancellationToken)
    {
        var cause = e is ApiRequestException { InnerException: { } inner } ? inner : e;
        return cause switch
        {
            GatewayException gateway => gateway,
            OperationCanceledException when cancellationToken.IsCancellationRequested => cause,
            TimeoutRejectedException or OperationCanceledException =>
                new GatewayException(ErrorCodes.UpstreamTimeout, 504, $"The {Maker} cloud did not answer in time.", null, e),
            BrokenCircuitException => GatewayException.Unavailable(Maker, "too many recent failures; calls are paused briefly", e),
            _ => GatewayException.Unavailable(Maker, "the cloud could not be reached", e),
        };
    }

    private static readonly HashSet<string> UnsupportedCodes =
        ["err.func.wired.forbidden", "err.func.wired.notFound", "not-found", "err.tech.501"];

    private static bool IsAccessDenied(string? body) =>
        Parse(body) is { ValueKind: JsonValueKind.Object } root
        && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
        && error.GetString() == "access_denied";

    // Codes sit in errors[].errorCode and messages[].code; err.func.403 wraps the real code in a JSON string message.
    private static HashSet<string> Codes(string? body)
    {
        var codes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (Parse(body) is not { ValueKind: JsonValueKind.Object } root)
        {
            return codes;
        }

        foreach (var (list, codeName, messageName) in new[] { ("errors", "errorCode", "errorMessage"), ("messages", "code", "message") })
        {
            if (!root.TryGetProperty(list, out var items) || items.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (item.TryGetProperty(codeName, out var code))
                {
                    codes.Add(code.ToString());
                }

                if (item.TryGetProperty(messageName, out var message) && message.ValueKind == JsonValueKind.String)
                {
                    foreach (var nested in NestedErrors(message.GetString()))
                    {
                        if (nested.TryGetProperty("code", out var nestedCode))
                        {
                            codes.Add(nestedCode.ToString());
                        }
                    }
                }
            }
        }

        return codes;
    }

    private static string? Detail(string? body)
    {
        if (Parse(body) is not { ValueKind: JsonValueKind.Object } root
            || !root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var error in errors.EnumerateArray())
        {
            if (error.ValueKind != JsonValueKind.Object || !error.TryGetProperty("errorMessage", out var message)
                || message.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            foreach (var nested in NestedErrors(message.GetString()))
            {
                if (nested.TryGetProperty("detail", out var detail))
                {
                    return detail.ToString();
                }
            }

            return message.GetString();
        }

        return null;
    }

    private static IEnumerable<JsonElement> NestedErrors(string? message)
    {
        if (message is null || !message.TrimStart().StartsWith('{')
            || Parse(message) is not { ValueKind: JsonValueKind.Object } nested
            || !nested.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return errors.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).ToList();
    }

    private static JsonElement? Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
