using EvGateway.Vehicles;
using Microsoft.Extensions.Logging;

namespace EvGateway.Manufacturers.Psa;

/// <summary>
/// The OAuth access token: cached until shortly before it expires, refreshed by one caller at a time (the others wait
/// for that refresh), the rotated refresh token persisted, and refreshes rationed because the cloud bans accounts
/// that refresh too often (psa.md §1).
/// </summary>
internal sealed partial class PsaTokenProvider(
    PsaOAuthClient oauth,
    PsaTokenStore store,
    PsaRefreshGuard guard,
    TimeProvider time,
    ILogger<PsaTokenProvider> logger)
{
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(1);
    private const string NotConnectedReason = "not connected yet; log in in the browser (setup page) or set Psa:RefreshToken";

    private readonly SemaphoreSlim refreshGate = new(1, 1);
    private AccessToken? current;

    public ProviderHealth Health { get; private set; } = store.RefreshToken.Length == 0
        ? new ProviderHealth(ProviderHealthState.Failing, NotConnectedReason)
        : ProviderHealth.Starting;

    /// <summary>False until an account is connected: nothing to refresh, so no cloud call is made.</summary>
    public bool HasRefreshToken => store.RefreshToken.Length > 0;

    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var token = current;
        return token is not null && token.IsValidAt(time.GetUtcNow()) ? token.Value : await RefreshAsync(stale: null, cancellationToken);
    }

    /// <summary>The cloud rejected <paramref name="rejected"/>: get another, unless a concurrent caller already did.</summary>
    public Task<string> RenewAsync(string rejected, CancellationToken cancellationToken) => RefreshAsync(rejected, cancellationToken);

    private async Task<string> RefreshAsync(string? stale, CancellationToken cancellationToken)
    {
        await refreshGate.WaitAsync(cancellationToken);
        try
        {
            var token = current;
            if (token is not null && token.IsValidAt(time.GetUtcNow()) && token.Value != stale)
            {
                return token.Value;
            }

            if (store.RefreshTokenRejected)
            {
                throw LoginNeeded();
            }

            if (!HasRefreshToken)
            {
                throw GatewayException.InvalidCredentials(PsaProvider.MakerName, NotConnectedReason);
            }

            guard.Acquire();
            PsaTokenResponse answer;
            try
            {
                // Not cancellable: abandoning a refresh half-way could lose the rotated refresh token.
                answer = await oauth.RefreshAsync(store.RefreshToken, CancellationToken.None);
            }
            catch (PsaLoginRejectedException)
            {
                await store.MarkRefreshTokenRejectedAsync();
                LogLoginRejected(logger);
                throw LoginNeeded();
            }
            catch (GatewayException failure)
            {
                Health = new ProviderHealth(ProviderHealthState.Failing, failure.Message);
                throw;
            }

            await store.SaveRefreshTokenAsync(answer.RefreshToken!);
            LogRefreshed(logger, Adopt(answer).TotalSeconds);
            return current!.Value;
        }
        finally
        {
            refreshGate.Release();
        }
    }

    /// <summary>
    /// Switches to the account a browser login just connected: its tokens (the code exchange's answer, so no refresh is
    /// spent) and its app credentials are stored, and every caller from now on gets its access token.
    /// </summary>
    public async Task ConnectAsync(PsaStoredLogin login, PsaTokenResponse answer)
    {
        // Not cancellable: the code is spent, so these tokens are the only way into the account.
        await refreshGate.WaitAsync(CancellationToken.None);
        try
        {
            await store.SaveLoginAsync(login, answer.RefreshToken!);
            LogConnected(logger, login.Brand, Adopt(answer).TotalSeconds);
        }
        finally
        {
            refreshGate.Release();
        }
    }

    /// <summary>
    /// Switches to an account brought from psa_car_controller: its login, refresh token and remote refresh token are
    /// stored and the access token of the previous account is dropped, so the next call refreshes with the new one.
    /// </summary>
    public async Task ImportAsync(PsaStoredLogin login, string refreshToken, string? remoteRefreshToken)
    {
        // Not cancellable: half an account (the login without its tokens) would serve nobody.
        await refreshGate.WaitAsync(CancellationToken.None);
        try
        {
            await store.SaveImportAsync(login, refreshToken, remoteRefreshToken);
            current = null;
            Health = ProviderHealth.Starting;
        }
        finally
        {
            refreshGate.Release();
        }
    }

    private TimeSpan Adopt(PsaTokenResponse answer)
    {
        var lifetime = TimeSpan.FromSeconds(answer.ExpiresIn is > 0 ? answer.ExpiresIn.Value : 3599);
        // Renew a little early so a token never dies mid-request, but never so early that a short-lived one is useless.
        var margin = lifetime / 10 < ExpiryMargin ? lifetime / 10 : ExpiryMargin;
        current = new AccessToken(answer.AccessToken!, time.GetUtcNow() + lifetime - margin);
        Health = ProviderHealth.LoggedIn;
        return lifetime;
    }

    private GatewayException LoginNeeded()
    {
        const string reason = "the refresh token was refused; log in again in the browser (setup page) or set a new Psa:RefreshToken";
        Health = new ProviderHealth(ProviderHealthState.Failing, reason);
        return GatewayException.InvalidCredentials(PsaProvider.MakerName, reason);
    }

    [LoggerMessage(LogLevel.Information, "PSA access token refreshed; valid for {LifetimeSeconds} s")]
    private static partial void LogRefreshed(ILogger logger, double lifetimeSeconds);

    [LoggerMessage(LogLevel.Information, "PSA {Brand} account connected by a browser login; access token valid for {LifetimeSeconds} s")]
    private static partial void LogConnected(ILogger logger, PsaBrand brand, double lifetimeSeconds);

    [LoggerMessage(LogLevel.Error, "PSA refused the refresh token (invalid_grant); no further refresh until a new login or Psa:RefreshToken changes")]
    private static partial void LogLoginRejected(ILogger logger);

    private sealed record AccessToken(string Value, DateTimeOffset RenewAt)
    {
        public bool IsValidAt(DateTimeOffset now) => now < RenewAt;

        public override string ToString() => $"{nameof(AccessToken)} {{ RenewAt = {RenewAt:O} }}";
    }
}

/// <summary>Never more than 5 refreshes in 30 minutes: the cloud bans accounts beyond about 6.</summary>
internal sealed class PsaRefreshGuard(TimeProvider time)
{
    public const int MaxRefreshes = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(30);

    private readonly Queue<DateTimeOffset> recent = new();
    private readonly object gate = new();

    public void Acquire()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            while (recent.Count > 0 && recent.Peek() <= now - Window)
            {
                recent.Dequeue();
            }

            if (recent.Count >= MaxRefreshes)
            {
                throw GatewayException.RateLimited(PsaProvider.MakerName, recent.Peek() + Window - now);
            }

            recent.Enqueue(now);
        }
    }
}
