using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Psa;

/// <summary>The brand's identity server: trades a refresh token for an access token and the NEXT refresh token.</summary>
internal sealed class PsaOAuthClient(IHttpClientFactory httpClients, IOptions<PsaOptions> options)
{
    public const string HttpClientName = "Psa.OAuth";

    public async Task<PsaTokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.EffectiveTokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
                ["scope"] = "openid profile",
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.ClientId}:{settings.ClientSecret}")));

        using var response = await PsaErrors.SendAsync(httpClients.CreateClient(HttpClientName), request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var token = await response.Content.ReadFromJsonAsync<PsaTokenResponse>(PsaJson.Options, cancellationToken);
            return token is { AccessToken.Length: > 0, RefreshToken.Length: > 0 }
                ? token
                : throw GatewayException.Unavailable(PsaProvider.MakerName, "the token answer lacked a token");
        }

        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized
            && await ReadErrorAsync(response, cancellationToken) is "invalid_grant" or "invalid_client")
        {
            throw new PsaLoginRejectedException();
        }

        throw PsaErrors.FromStatus(response, "token refresh");
    }

    private static async Task<string?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync<PsaErrorResponse>(PsaJson.Options, cancellationToken);
            return error?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The cloud refused the refresh token or the app credentials: only a new login fixes that.</summary>
internal sealed class PsaLoginRejectedException() : Exception("The PSA cloud rejected the refresh token.");
