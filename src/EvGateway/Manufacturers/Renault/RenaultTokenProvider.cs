using System.Text.Json;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Renault;

/// <summary>
/// The short-lived JWT that Kamereon wants, from the login token <see cref="RenaultLoginFlow"/> holds, refreshed shortly
/// before it expires. Every refresh is single-flight: however many callers find the JWT expired, Gigya sees one getJWT.
/// When Gigya refuses the login token (403005/403013) the flow logs in again, once.
/// </summary>
internal sealed partial class RenaultTokenProvider : IDisposable
{
    private const string JwtCacheKey = "renault:gigya-jwt";
    private const int RequestedJwtLifetimeSeconds = 900;
    private static readonly TimeSpan MaxRefreshMargin = TimeSpan.FromSeconds(60);

    private readonly IGigyaApi gigya;
    private readonly RenaultLoginFlow flow;
    private readonly IOptionsMonitor<RenaultOptions> options;
    private readonly IMemoryCache cache;
    private readonly TimeProvider time;
    private readonly ILogger<RenaultTokenProvider> logger;
    private readonly SemaphoreSlim refreshGate = new(1, 1);

    public RenaultTokenProvider(IGigyaApi gigya, RenaultLoginFlow flow, IOptionsMonitor<RenaultOptions> options, IMemoryCache cache,
        TimeProvider time, ILogger<RenaultTokenProvider> logger)
    {
        this.gigya = gigya;
        this.flow = flow;
        this.options = options;
        this.cache = cache;
        this.time = time;
        this.logger = logger;
        flow.SessionChanged += ForgetJwt;
        flow.StateChanged += OnAccountChanged;
    }

    public ProviderHealth Health { get; private set; } = ProviderHealth.Starting;

    /// <summary>A JWT valid for a while yet; logs in or refreshes as needed.</summary>
    public async Task<string> GetJwtAsync(CancellationToken cancellationToken)
    {
        if (TryGetCachedJwt(out var jwt))
        {
            return jwt;
        }

        await refreshGate.WaitAsync(cancellationToken);
        try
        {
            if (TryGetCachedJwt(out jwt))
            {
                return jwt;
            }

            var fresh = await FetchJwtAsync(cancellationToken);
            cache.Set(JwtCacheKey, fresh);
            return fresh.Token;
        }
        finally
        {
            refreshGate.Release();
        }
    }

    /// <summary>The Kamereon person the login belongs to (the root of accounts and cars).</summary>
    public async Task<string> GetPersonIdAsync(CancellationToken cancellationToken)
    {
        await GetJwtAsync(cancellationToken);
        return flow.PersonId ?? throw GatewayException.Unavailable(RenaultProvider.MakerName, "the login session ended during the request");
    }

    /// <summary>Kamereon refused <paramref name="jwt"/>: forget it so the next caller fetches a new one. A JWT that was
    /// already replaced is left alone, so a burst of 401s for the old token causes one refresh, not one each.</summary>
    public void Invalidate(string jwt)
    {
        if (cache.TryGetValue<CachedJwt>(JwtCacheKey, out var cached) && cached?.Token == jwt)
        {
            cache.Remove(JwtCacheKey);
        }
    }

    public void Dispose()
    {
        flow.SessionChanged -= ForgetJwt;
        flow.StateChanged -= OnAccountChanged;
        refreshGate.Dispose();
    }

    private bool TryGetCachedJwt(out string jwt)
    {
        if (cache.TryGetValue<CachedJwt>(JwtCacheKey, out var cached) && cached is not null && time.GetUtcNow() < cached.RefreshAt)
        {
            jwt = cached.Token;
            return true;
        }

        jwt = "";
        return false;
    }

    private async Task<CachedJwt> FetchJwtAsync(CancellationToken cancellationToken)
    {
        try
        {
            var current = await flow.SessionAsync(cancellationToken);
            var answer = await GetJwtFromAsync(current, cancellationToken);
            if (answer.ErrorCode is GigyaErrorCodes.LoginTokenExpired or GigyaErrorCodes.LoginTokenUnverified)
            {
                current = await flow.SessionRefusedAsync(current, answer.ErrorCode, cancellationToken);
                answer = await GetJwtFromAsync(current, cancellationToken);
            }

            if (answer.ErrorCode != 0)
            {
                throw GigyaCalls.Failure(answer, "getJWT");
            }

            if (string.IsNullOrEmpty(answer.IdToken))
            {
                throw GatewayException.Unavailable(RenaultProvider.MakerName, "Gigya returned no JWT");
            }

            RenaultLoginFlow.SessionWorked(current);
            var now = time.GetUtcNow();
            var expiresAt = JwtExpiry(answer.IdToken) ?? now.AddSeconds(RequestedJwtLifetimeSeconds);
            var lifetime = expiresAt - now;
            var margin = lifetime / 4 < MaxRefreshMargin ? lifetime / 4 : MaxRefreshMargin;
            Health = ProviderHealth.LoggedIn;
            LogJwtRefreshed(expiresAt);
            return new CachedJwt(answer.IdToken, now + lifetime - margin);
        }
        catch (GatewayException e)
        {
            Health = new ProviderHealth(ProviderHealthState.Failing, e.Message);
            throw;
        }
    }

    private Task<GigyaJwtResponse> GetJwtFromAsync(GigyaSession session, CancellationToken cancellationToken) =>
        GigyaCalls.SendAsync(ct => gigya.GetJwtAsync(new GigyaJwtForm(options.CurrentValue.GigyaApiKey, session.LoginToken, RequestedJwtLifetimeSeconds),
            flow.Cookies, ct), cancellationToken);

    private void ForgetJwt() => cache.Remove(JwtCacheKey);

    // The owner's steps (a verified code, a new login) change the health before the next car read does.
    private void OnAccountChanged(RenaultAccountState account) => Health = account.State switch
    {
        AccountState.Connected => ProviderHealth.LoggedIn,
        AccountState.Unavailable => Health,
        _ => new ProviderHealth(ProviderHealthState.Failing, account.Detail),
    };

    internal static DateTimeOffset? JwtExpiry(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length < 2)
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            using var document = JsonDocument.Parse(Convert.FromBase64String(payload));
            return document.RootElement.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private sealed record CachedJwt(string Token, DateTimeOffset RefreshAt)
    {
        public override string ToString() => $"CachedJwt {{ RefreshAt = {RefreshAt:O} }}";
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Renault JWT refreshed; it expires at {ExpiresAt:O}")]
    private partial void LogJwtRefreshed(DateTimeOffset expiresAt);
}
