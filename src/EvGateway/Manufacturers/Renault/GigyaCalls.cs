using System.Text.Json;
using EvGateway.Vehicles;
using Refit;

namespace EvGateway.Manufacturers.Renault;

/// <summary>How a Gigya call becomes an answer or a <see cref="GatewayException"/>; shared by the login flow and the JWT refresh.</summary>
internal static class GigyaCalls
{
    // Gigya normally answers HTTP 200 with an errorCode, but proxies and some errors (a login pending its second factor)
    // come as HTTP 4xx/5xx with the same body.
    public static async Task<T> SendAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) where T : GigyaResponse
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (ApiException e) when (TryReadErrorBody<T>(e.Content) is { ErrorCode: not 0 } body)
        {
            return body;
        }
        catch (Exception e) when (KamereonErrors.IsSendFailure(e, cancellationToken))
        {
            throw KamereonErrors.FromSendFailure(e, cancellationToken);
        }
        catch (ApiException e)
        {
            throw GatewayException.Unavailable(RenaultProvider.MakerName, $"Gigya answered HTTP {(int)e.StatusCode}", e);
        }
    }

    /// <summary>What to throw for an answer whose errorCode is not 0.</summary>
    public static GatewayException Failure(GigyaResponse answer, string call) => answer.ErrorCode switch
    {
        GigyaErrorCodes.InvalidApiKey => GatewayException.Unavailable(RenaultProvider.MakerName,
            "Gigya API key rejected; update Renault:GigyaApiKey to the key of the current MyRenault app"),
        _ => GatewayException.Unavailable(RenaultProvider.MakerName, $"Gigya {call} failed with error {answer.ErrorCode}"),
    };

    private static T? TryReadErrorBody<T>(string? content) where T : GigyaResponse
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(content, RenaultJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
