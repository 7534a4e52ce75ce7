using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Mime;
using System.Text.Json;
using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Psa.Mqtt;

/// <summary>
/// The remote access token (899 s): the broker's login password and what every MQTT envelope carries. Refreshed with
/// the remote refresh token when it has expired or the broker refused it. When PSA refuses that refresh token (it
/// lapses when unused), a one-time password of the paired soft token gets a new pair through the password grant
/// (psa-remote-pairing.md §8-§9); only when that fails too must the owner pair again. One-time passwords are scarce
/// (six a day, each attempt counts), so a failed one is not retried before a pause.
/// </summary>
internal sealed partial class PsaRemoteTokenProvider(
    IHttpClientFactory httpClients,
    PsaTokenStore store,
    InWeboClient inWebo,
    OtpStateStore otpStates,
    IOptions<PsaOptions> options,
    TimeProvider time,
    ILogger<PsaRemoteTokenProvider> logger)
{
    public const string HttpClientName = "Psa.RemoteToken";

    /// <summary>After a one-time password failed for a passing reason (server down), none is asked for before this pause.</summary>
    public static readonly TimeSpan OtpRetryPause = TimeSpan.FromHours(2);

    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim refreshGate = new(1, 1);
    private RemoteToken? current;
    private OtpProblem? otpProblem;

    /// <summary>True when a remote token can be had: a remote refresh token PSA has not refused, or a usable soft token.</summary>
    public bool IsPaired => HasUsableRefreshToken || (otpStates.Exists && store.RemotePairingLost is null);

    public RemoteCommandsState State => IsPaired ? RemoteCommandsState.Paired : RemoteCommandsState.PairingRequired;

    /// <summary>
    /// What keeps remote commands from working, in words safe to show: why a pairing is needed, or why no one-time
    /// password can be taken now; null when nothing does.
    /// </summary>
    public string? Problem
    {
        get
        {
            if (IsPaired)
            {
                return otpProblem is { } problem && time.GetUtcNow() < problem.Until ? problem.Reason : null;
            }

            if (store.RemotePairingLost is { } lost)
            {
                return lost;
            }

            return store.RemoteRefreshToken is not null
                ? "PSA refused the remote-command token and no pairing is stored to renew it: pair with an SMS code and the PIN of the brand's app."
                : "Remote commands are not paired yet: pair with an SMS code and the PIN of the brand's app, or import psa_car_controller's files.";
        }
    }

    private bool HasUsableRefreshToken => store.RemoteRefreshToken is not null && !store.RemoteRefreshTokenRejected;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        var token = current;
        return token is not null && time.GetUtcNow() < token.RenewAt ? token.Value : await RefreshAsync(stale: null, cancellationToken);
    }

    /// <summary>The broker refused <paramref name="rejected"/>; get another unless a concurrent command already did.</summary>
    public Task<string> RenewAsync(string rejected, CancellationToken cancellationToken) => RefreshAsync(rejected, cancellationToken);

    /// <summary>
    /// Uses the remote refresh token now, however fresh the current token is, unless it was stored less than
    /// <paramref name="maxAge"/> ago (a command or a session check may just have used it), so that it does not lapse unused.
    /// </summary>
    /// <returns>True when the refresh token was used.</returns>
    public async Task<bool> KeepAliveAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        await refreshGate.WaitAsync(cancellationToken);
        try
        {
            if (store.RemoteRefreshedAt is { } refreshedAt && time.GetUtcNow() - refreshedAt < maxAge)
            {
                return false;
            }

            current = null;
        }
        finally
        {
            refreshGate.Release();
        }

        await RefreshAsync(stale: null, cancellationToken);
        return true;
    }

    /// <summary>
    /// A soft token was just paired: trades its first one-time password for a remote token pair at once, which proves
    /// the pairing works and replaces whatever remote refresh token was known.
    /// </summary>
    /// <exception cref="GatewayException">The one-time password could not be taken or PSA refused it.</exception>
    public async Task StartWithNewPairingAsync(CancellationToken cancellationToken)
    {
        await refreshGate.WaitAsync(cancellationToken);
        try
        {
            otpProblem = null;
            await store.ClearRemotePairingLostAsync();
            await PasswordGrantAsync();
        }
        finally
        {
            refreshGate.Release();
        }
    }

    /// <summary>Another account or pairing was brought in: the token in hand and any pause belong to the previous one.</summary>
    public async Task ForgetAsync()
    {
        await refreshGate.WaitAsync(CancellationToken.None);
        try
        {
            current = null;
            otpProblem = null;
        }
        finally
        {
            refreshGate.Release();
        }
    }

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

            if (HasUsableRefreshToken)
            {
                var answer = await RequestAsync(new { grant_type = "refresh_token", refresh_token = store.RemoteRefreshToken }, "remote token refresh");
                if (answer is not null)
                {
                    return await AdoptAsync(answer);
                }

                await store.MarkRemoteRefreshTokenRejectedAsync();
                LogRefreshRefused(logger, otpStates.Exists);
            }

            return await PasswordGrantAsync();
        }
        finally
        {
            refreshGate.Release();
        }
    }

    // Callers hold the refresh gate. Not cancellable from here on: a one-time password spent on a dropped answer is
    // one of the day's six lost, and the answer's refresh token would be lost with it.
    private async Task<string> PasswordGrantAsync()
    {
        if (!otpStates.Exists || store.RemotePairingLost is not null)
        {
            throw PairingRequired(Problem!);
        }

        var now = time.GetUtcNow();
        if (otpProblem is { } problem && now < problem.Until)
        {
            throw new GatewayException(problem.Code, problem.StatusCode, problem.Reason, problem.Until - now);
        }

        string otp;
        try
        {
            otp = await inWebo.GetOtpAsync(CancellationToken.None);
        }
        catch (PsaPairingException failure) when (failure.Failure is PsaPairingFailure.PairingRevoked or PsaPairingFailure.NotPaired)
        {
            await store.MarkRemotePairingLostAsync(failure.ServerError is { } nok && !failure.Message.Contains(nok, StringComparison.Ordinal)
                ? $"{failure.Message} ({nok})"
                : failure.Message);
            throw;
        }
        catch (PsaPairingException failure)
        {
            otpProblem = new OtpProblem(failure.Message, failure.Code, failure.StatusCode, now + (failure.RetryAfter ?? OtpRetryPause));
            throw;
        }

        var answer = await RequestAsync(new { grant_type = "password", password = otp }, "remote token password grant");
        if (answer is null)
        {
            const string refused = "PSA refused the one-time password of the stored pairing: pair again with an SMS code and the PIN of the brand's app.";
            await store.MarkRemotePairingLostAsync(refused);
            LogPasswordRefused(logger);
            throw PairingRequired(refused);
        }

        otpProblem = null;
        LogPasswordGranted(logger);
        return await AdoptAsync(answer);
    }

    private async Task<string> AdoptAsync(PsaTokenResponse answer)
    {
        var now = time.GetUtcNow();
        await store.SaveRemoteRefreshTokenAsync(answer.RefreshToken!, now);
        var lifetime = TimeSpan.FromSeconds(answer.ExpiresIn is > 0 ? answer.ExpiresIn.Value : 899);
        var margin = lifetime / 10 < ExpiryMargin ? lifetime / 10 : ExpiryMargin;
        current = new RemoteToken(answer.AccessToken!, now + lifetime - margin);
        LogRefreshed(logger, lifetime.TotalSeconds);
        return current.Value;
    }

    /// <returns>The answer, or null when PSA refused the grant (HTTP 400).</returns>
    private async Task<PsaTokenResponse?> RequestAsync(object body, string what)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.EffectiveRemoteTokenUrl)
        {
            // Serialised up front so the body goes out with a Content-Length: JsonContent streams it chunked, and PSA's
            // gateway answers that with 411, losing the rotation.
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body))
            {
                Headers = { ContentType = new MediaTypeHeaderValue(MediaTypeNames.Application.Json) },
            },
        };
        // Not cancellable: abandoning it half-way could lose the rotated remote refresh token.
        using var response = await PsaErrors.SendAsync(httpClients.CreateClient(HttpClientName), request, CancellationToken.None);
        if (response.StatusCode is HttpStatusCode.BadRequest)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw PsaErrors.FromStatus(response, what);
        }

        var answer = await response.Content.ReadFromJsonAsync<PsaTokenResponse>(PsaJson.Options, CancellationToken.None);
        return answer is { AccessToken.Length: > 0, RefreshToken.Length: > 0 }
            ? answer
            : throw GatewayException.Unavailable(PsaProvider.MakerName, "the remote token answer lacked a token");
    }

    private static PsaPairingException PairingRequired(string reason) =>
        new(PsaPairingFailure.NotPaired, PsaPairingException.PairingRequiredCode, 409, reason);

    [LoggerMessage(LogLevel.Information, "PSA remote-command token refreshed; valid for {LifetimeSeconds} s")]
    private static partial void LogRefreshed(ILogger logger, double lifetimeSeconds);

    [LoggerMessage(LogLevel.Warning, "PSA refused the remote refresh token; a one-time password is the way back (pairing stored: {Paired})")]
    private static partial void LogRefreshRefused(ILogger logger, bool paired);

    [LoggerMessage(LogLevel.Information, "PSA gave a new remote-command token pair for a one-time password")]
    private static partial void LogPasswordGranted(ILogger logger);

    [LoggerMessage(LogLevel.Error, "PSA refused the one-time password; remote commands need a new pairing")]
    private static partial void LogPasswordRefused(ILogger logger);

    private sealed record RemoteToken(string Value, DateTimeOffset RenewAt)
    {
        public override string ToString() => $"{nameof(RemoteToken)} {{ RenewAt = {RenewAt:O} }}";
    }

    /// <summary>Why no one-time password is asked for until <see cref="Until"/>, as the failure that caused it said.</summary>
    private sealed record OtpProblem(string Reason, string Code, int StatusCode, DateTimeOffset Until);
}
