using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EvGateway.Vehicles;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;

namespace EvGateway.Manufacturers.Renault;

/// <summary>
/// The Gigya identity: logs in once, keeps the long-lived login token in memory and hands out the short-lived JWT that
/// Kamereon wants, refreshing it shortly before it expires. Every refresh is single-flight: however many callers find
/// the JWT expired, Gigya sees one getJWT. A rejected password latches: no login is attempted again until the
/// configuration changes, because repeating a bad login can lock the owner's account.
/// </summary>
internal sealed partial class RenaultTokenProvider : IDisposable
{
    private const string JwtCacheKey = "renault:gigya-jwt";
    private const int RequestedJwtLifetimeSeconds = 900;
    private static readonly TimeSpan MaxRefreshMargin = TimeSpan.FromSeconds(60);

    private readonly IGigyaApi gigya;
    private readonly IOptionsMonitor<RenaultOptions> options;
    private readonly IMemoryCache cache;
    private readonly TimeProvider time;
    private readonly ILogger<RenaultTokenProvider> logger;
    private readonly SemaphoreSlim refreshGate = new(1, 1);
    private readonly IDisposable? optionsSubscription;

    private GigyaSession? session;
    private LatchedFailure? latched;

    public RenaultTokenProvider(IGigyaApi gigya, IOptionsMonitor<RenaultOptions> options, IMemoryCache cache, TimeProvider time,
        ILogger<RenaultTokenProvider> logger)
    {
        this.gigya = gigya;
        this.options = options;
        this.cache = cache;
        this.time = time;
        this.logger = logger;
        optionsSubscription = options.OnChange(OnOptionsChanged);
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
        return session?.PersonId ?? throw GatewayException.Unavailable(RenaultProvider.MakerName, "the login session ended during the request");
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
        optionsSubscription?.Dispose();
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
        var current = session ?? await LoginAsync(cancellationToken);
        var answer = await CallGigyaAsync(ct => gigya.GetJwtAsync(Form(current), ct), cancellationToken);
        if (answer.ErrorCode is GigyaErrorCodes.LoginTokenExpired or GigyaErrorCodes.LoginTokenUnverified)
        {
            LogLoginTokenExpired(answer.ErrorCode);
            session = null;
            current = await LoginAsync(cancellationToken);
            answer = await CallGigyaAsync(ct => gigya.GetJwtAsync(Form(current), ct), cancellationToken);
        }

        ThrowIfFailed(answer, "getJWT");
        if (string.IsNullOrEmpty(answer.IdToken))
        {
            throw Fail(GatewayException.Unavailable(RenaultProvider.MakerName, "Gigya returned no JWT"));
        }

        var now = time.GetUtcNow();
        var expiresAt = JwtExpiry(answer.IdToken) ?? now.AddSeconds(RequestedJwtLifetimeSeconds);
        var lifetime = expiresAt - now;
        var margin = lifetime / 4 < MaxRefreshMargin ? lifetime / 4 : MaxRefreshMargin;
        Health = ProviderHealth.LoggedIn;
        LogJwtRefreshed(expiresAt);
        return new CachedJwt(answer.IdToken, now + lifetime - margin);

        GigyaJwtForm Form(GigyaSession s) => new(options.CurrentValue.GigyaApiKey, s.LoginToken, RequestedJwtLifetimeSeconds);
    }

    private async Task<GigyaSession> LoginAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var fingerprint = Fingerprint(settings);
        if (latched is { } failure && failure.Fingerprint == fingerprint)
        {
            throw failure.Error;
        }

        var login = await CallGigyaAsync(ct => gigya.LoginAsync(new GigyaLoginForm(settings.GigyaApiKey, settings.Username, settings.Password), ct), cancellationToken);
        if (login.ErrorCode == GigyaErrorCodes.InvalidLoginOrPassword)
        {
            var error = GatewayException.InvalidCredentials(RenaultProvider.MakerName,
                "the username or password was rejected; fix Renault:Username / Renault:Password (no further login is tried until then)");
            latched = new LatchedFailure(fingerprint, error);
            LogCredentialsRejected();
            throw Fail(error);
        }

        ThrowIfFailed(login, "login");
        var loginToken = login.SessionInfo?.CookieValue;
        if (string.IsNullOrEmpty(loginToken))
        {
            throw Fail(GatewayException.Unavailable(RenaultProvider.MakerName, "Gigya login returned no session"));
        }

        var account = await CallGigyaAsync(ct => gigya.GetAccountInfoAsync(new GigyaSessionForm(settings.GigyaApiKey, loginToken), ct), cancellationToken);
        ThrowIfFailed(account, "getAccountInfo");
        var personId = account.Data?.PersonId;
        if (string.IsNullOrEmpty(personId))
        {
            throw Fail(GatewayException.Unavailable(RenaultProvider.MakerName, "the Gigya account has no Kamereon person id"));
        }

        session = new GigyaSession(loginToken, personId);
        Health = ProviderHealth.LoggedIn;
        LogLoggedIn();
        return session;
    }

    private void ThrowIfFailed(GigyaResponse answer, string call)
    {
        switch (answer.ErrorCode)
        {
            case 0:
                return;
            case GigyaErrorCodes.TwoFactorPending:
                throw Fail(GatewayException.InvalidCredentials(RenaultProvider.MakerName,
                    "two-factor verification pending in the MyRenault app; approve it there, then retry"));
            case GigyaErrorCodes.InvalidApiKey:
                throw Fail(GatewayException.Unavailable(RenaultProvider.MakerName,
                    "Gigya API key rejected; update Renault:GigyaApiKey to the key of the current MyRenault app"));
            case GigyaErrorCodes.InvalidLoginOrPassword:
                throw Fail(GatewayException.InvalidCredentials(RenaultProvider.MakerName, "the username or password was rejected"));
            default:
                throw Fail(GatewayException.Unavailable(RenaultProvider.MakerName, $"Gigya {call} failed with error {answer.ErrorCode}"));
        }
    }

    // Gigya normally answers HTTP 200 with an errorCode, but proxies and some errors come as HTTP 4xx/5xx with the same body.
    private async Task<T> CallGigyaAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) where T : GigyaResponse
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
            var failure = KamereonErrors.FromSendFailure(e, cancellationToken);
            throw failure is GatewayException gateway ? Fail(gateway) : failure;
        }
        catch (ApiException e)
        {
            throw Fail(GatewayException.Unavailable(RenaultProvider.MakerName, $"Gigya answered HTTP {(int)e.StatusCode}", e));
        }
    }

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

    private GatewayException Fail(GatewayException error)
    {
        Health = new ProviderHealth(ProviderHealthState.Failing, error.Message);
        return error;
    }

    private void OnOptionsChanged(RenaultOptions changed)
    {
        if (latched is { } failure && failure.Fingerprint == Fingerprint(changed))
        {
            return;
        }

        latched = null;
        session = null;
        cache.Remove(JwtCacheKey);
        Health = ProviderHealth.Starting;
    }

    // Keeps no copy of the password around just to notice that it changed.
    private static string Fingerprint(RenaultOptions settings) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\n', settings.GigyaUrl, settings.GigyaApiKey, settings.Username, settings.Password))));

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

    private sealed record GigyaSession(string LoginToken, string PersonId)
    {
        public override string ToString() => $"GigyaSession {{ PersonId = {PersonId} }}";
    }

    private sealed record CachedJwt(string Token, DateTimeOffset RefreshAt)
    {
        public override string ToString() => $"CachedJwt {{ RefreshAt = {RefreshAt:O} }}";
    }

    private sealed record LatchedFailure(string Fingerprint, GatewayException Error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renault login succeeded")]
    private partial void LogLoggedIn();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Renault JWT refreshed; it expires at {ExpiresAt:O}")]
    private partial void LogJwtRefreshed(DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renault login token no longer accepted (Gigya {ErrorCode}); logging in again once")]
    private partial void LogLoginTokenExpired(int errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renault rejected the username or password; no further login until the configuration changes")]
    private partial void LogCredentialsRejected();
}
