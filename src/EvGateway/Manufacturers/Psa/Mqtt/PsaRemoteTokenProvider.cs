using System.Net;
using System.Net.Http.Json;
using EvGateway.Vehicles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Psa.Mqtt;

/// <summary>
/// The remote access token (899 s): the broker's login password and what every MQTT envelope carries. Refreshed only
/// when it has expired or the broker refused it (CONNACK not authorized, return_code 400): the pairing behind it costs
/// an SMS, so it is spent sparingly.
/// </summary>
internal sealed partial class PsaRemoteTokenProvider(
    IHttpClientFactory httpClients,
    PsaTokenStore store,
    IOptions<PsaOptions> options,
    TimeProvider time,
    ILogger<PsaRemoteTokenProvider> logger)
{
    public const string HttpClientName = "Psa.RemoteToken";

    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim refreshGate = new(1, 1);
    private RemoteToken? current;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        var token = current;
        return token is not null && time.GetUtcNow() < token.RenewAt ? token.Value : await RefreshAsync(stale: null, cancellationToken);
    }

    /// <summary>The broker refused <paramref name="rejected"/>; get another unless a concurrent command already did.</summary>
    public Task<string> RenewAsync(string rejected, CancellationToken cancellationToken) => RefreshAsync(rejected, cancellationToken);

    private async Task<string> RefreshAsync(string? stale, CancellationToken cancellationToken)
    {
        await refreshGate.WaitAsync(cancellationToken);
        try
        {
            var token = current;
            if (token is not null && time.GetUtcNow() < token.RenewAt && token.Value != stale)
            {
                return token.Value;
            }

            if (store.RemoteRefreshToken is not { } refreshToken || store.RemoteRefreshTokenRejected)
            {
                throw PairingNeeded();
            }

            var answer = await RequestAsync(refreshToken);
            await store.SaveRemoteRefreshTokenAsync(answer.RefreshToken!);
            var lifetime = TimeSpan.FromSeconds(answer.ExpiresIn is > 0 ? answer.ExpiresIn.Value : 899);
            var margin = lifetime / 10 < ExpiryMargin ? lifetime / 10 : ExpiryMargin;
            current = new RemoteToken(answer.AccessToken!, time.GetUtcNow() + lifetime - margin);
            LogRefreshed(logger, lifetime.TotalSeconds);
            return current.Value;
        }
        finally
        {
            refreshGate.Release();
        }
    }

    // Not cancellable: abandoning it half-way could lose the rotated remote refresh token.
    private async Task<PsaTokenResponse> RequestAsync(string refreshToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.EffectiveRemoteTokenUrl)
        {
            Content = JsonContent.Create(new { grant_type = "refresh_token", refresh_token = refreshToken }),
        };
        using var response = await PsaErrors.SendAsync(httpClients.CreateClient(HttpClientName), request, CancellationToken.None);
        if (response.StatusCode is HttpStatusCode.BadRequest)
        {
            await store.MarkRemoteRefreshTokenRejectedAsync();
            LogPairingRejected(logger);
            throw PairingNeeded();
        }

        if (!response.IsSuccessStatusCode)
        {
            throw PsaErrors.FromStatus(response, "remote token refresh");
        }

        var answer = await response.Content.ReadFromJsonAsync<PsaTokenResponse>(PsaJson.Options, CancellationToken.None);
        return answer is { AccessToken.Length: > 0, RefreshToken.Length: > 0 }
            ? answer
            : throw GatewayException.Unavailable(PsaProvider.MakerName, "the remote token answer lacked a token");
    }

    private static GatewayException PairingNeeded() => GatewayException.InvalidCredentials(PsaProvider.MakerName,
        "the remote-command token was refused; pair again (SMS + PIN) and set Psa:RemoteRefreshToken");

    [LoggerMessage(LogLevel.Information, "PSA remote-command token refreshed; valid for {LifetimeSeconds} s")]
    private static partial void LogRefreshed(ILogger logger, double lifetimeSeconds);

    [LoggerMessage(LogLevel.Error, "PSA refused the remote refresh token; no further attempt until Psa:RemoteRefreshToken changes")]
    private static partial void LogPairingRejected(ILogger logger);

    private sealed record RemoteToken(string Value, DateTimeOffset RenewAt)
    {
        public override string ToString() => $"{nameof(RemoteToken)} {{ RenewAt = {RenewAt:O} }}";
    }
}
