using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Psa;

/// <summary>
/// The brand's identity server: trades a refresh token for an access token and the NEXT refresh token, or a browser
/// login's authorization code for the first ones.
/// </summary>
internal sealed class PsaOAuthClient(IHttpClientFactory httpClients, PsaAccount account, IOptions<PsaOptions> options)
{
    public const string HttpClientName = "Psa.OAuth";

    public Task<PsaTokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        RequestAsync(account.Client, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["scope"] = "openid profile",
        }, "token refresh", cancellationToken);

    /// <summary>psa.md §1b step 3; <paramref name="redirectUri"/> must be the one the login page was opened with.</summary>
    public Task<PsaTokenResponse> ExchangeCodeAsync(PsaAppClient client, string code, string redirectUri, string codeVerifier,
        CancellationToken cancellationToken) =>
        RequestAsync(client, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = codeVerifier,
        }, "code exchange", cancellationToken);

    private async Task<PsaTokenResponse> RequestAsync(PsaAppClient client, Dictionary<string, string> form, string what,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.TokenUrlFor(client.Brand))
        {
            Content = new FormUrlEncodedContent(form),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{client.ClientId}:{client.ClientSecret}")));

        using var response = await PsaErrors.SendAsync(httpClients.CreateClient(HttpClientName), request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var token = await response.Content.ReadFromJsonAsync<PsaTokenResponse>(PsaJson.Options, cancellationToken);
            return token is { AccessToken.Length: > 0, RefreshToken.Length: > 0 }
                ? token
                : throw GatewayException.Unavailable(PsaProvider.MakerName, "the token answer lacked a token");
        }

        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized
            && await ReadErrorAsync(response, cancellationToken) is ("invalid_grant" or "invalid_client") and var error)
        {
            throw new PsaLoginRejectedException(error);
        }

        throw PsaErrors.FromStatus(response, what);
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

/// <summary>The cloud refused the grant (refresh token, code) or the app credentials: only a new login fixes that.</summary>
/// <param name="error">"invalid_grant" (the grant) or "invalid_client" (the client id or secret).</param>
internal sealed class PsaLoginRejectedException(string error) : Exception($"The PSA identity server answered {error}.")
{
    public bool ClientRefused { get; } = error == "invalid_client";
}
