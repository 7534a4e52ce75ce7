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

    private readonly SemaphoreSlim refreshGate = new(1, 1);
    private AccessToken? current;

    public ProviderHealth Health { get; private set; } = ProviderHealth.Starting;

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
            var lifetime = TimeSpan.FromSeconds(answer.ExpiresIn is > 0 ? answer.ExpiresIn.Value : 3599);
            // Renew a little early so a token never dies mid-request, but never so early that a short-lived one is useless.
            var margin = lifetime / 10 < ExpiryMargin ? lifetime / 10 : ExpiryMargin;
            current = new AccessToken(answer.AccessToken!, time.GetUtcNow() + lifetime - margin);
            Health = ProviderHealth.LoggedIn;
            LogRefreshed(logger, lifetime.TotalSeconds);
            return current.Value;
        }
        finally
        {
            refreshGate.Release();
        }
    }

    private GatewayException LoginNeeded()
    {
        const string reason = "the refresh token was refused; log in again and set Psa:RefreshToken";
        Health = new ProviderHealth(ProviderHealthState.Failing, reason);
        return GatewayException.InvalidCredentials(PsaProvider.MakerName, reason);
    }

    [LoggerMessage(LogLevel.Information, "PSA access token refreshed; valid for {LifetimeSeconds} s")]
    private static partial void LogRefreshed(ILogger logger, double lifetimeSeconds);

    [LoggerMessage(LogLevel.Error, "PSA refused the refresh token (invalid_grant); no further refresh until Psa:RefreshToken changes")]
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
