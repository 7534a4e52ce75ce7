using System.Globalization;
using System.Net;
using System.Runtime.ExceptionServices;
using EvGateway.Vehicles;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace EvGateway.Manufacturers.Psa;

/// <summary>Turns what HTTP throws or answers into <see cref="GatewayException"/>s with stable codes.</summary>
internal static class PsaErrors
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromMinutes(1);

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (Exception exception) when (IsTransport(exception, cancellationToken))
        {
            throw Unreachable(exception);
        }
    }

    /// <summary>Runs a Refit call; <paramref name="vin"/> names the car a 404 is about.</summary>
    public static async Task<T> CallAsync<T>(Func<Task<T>> call, string? vin, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (ApiException exception)
        {
            throw FromStatus(exception.StatusCode, exception.Headers.RetryAfter, exception.RequestMessage.RequestUri?.AbsolutePath, vin,
                exception);
        }
        catch (Exception exception) when (exception.InnerException is GatewayException gatewayException)
        {
            // Refit wraps what the handlers throw (a refused login, a rationed refresh); the caller wants the reason itself.
            ExceptionDispatchInfo.Throw(gatewayException);
            throw;
        }
        catch (Exception exception) when (IsTransport(exception, cancellationToken)
                                          || (exception is ApiRequestException && exception.InnerException is { } inner
                                              && IsTransport(inner, cancellationToken)))
        {
            throw Unreachable(exception.InnerException is { } cause && exception is ApiRequestException ? cause : exception);
        }
    }

    public static GatewayException FromStatus(HttpResponseMessage response, string what) =>
        FromStatus(response.StatusCode, response.Headers.RetryAfter, what, vin: null, inner: null);

    private static GatewayException FromStatus(HttpStatusCode status, System.Net.Http.Headers.RetryConditionHeaderValue? retryAfter,
        string? what, string? vin, Exception? inner) => status switch
        {
            HttpStatusCode.NotFound when vin is not null => GatewayException.VehicleNotFound(vin),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => GatewayException.InvalidCredentials(PsaProvider.MakerName,
                "the cloud refused a freshly refreshed access token; check Psa:ClientId, Psa:ClientSecret and Psa:Brand"),
            HttpStatusCode.TooManyRequests => GatewayException.RateLimited(PsaProvider.MakerName, RetryAfter(retryAfter)),
            _ => GatewayException.Unavailable(PsaProvider.MakerName,
                string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)status} from {what}"), inner),
        };

    private static TimeSpan RetryAfter(System.Net.Http.Headers.RetryConditionHeaderValue? header) =>
        header?.Delta is { } delta && delta > TimeSpan.Zero ? delta : DefaultRetryAfter;

    private static bool IsTransport(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
        || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static GatewayException Unreachable(Exception exception) =>
        exception is BrokenCircuitException
            ? GatewayException.Unavailable(PsaProvider.MakerName, "too many recent failures; the gateway pauses calls", exception)
            : GatewayException.Unavailable(PsaProvider.MakerName, "the cloud could not be reached", exception);
}
