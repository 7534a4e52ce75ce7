using System.Security.Cryptography;
using System.Text;

namespace EvGateway.Simulator.Psa;

/// <summary>Opaque bearer tokens with an expiry on the simulator's clock. Not thread-safe: owners lock around it.</summary>
internal sealed class BearerTokenStore(TimeProvider time)
{
    private readonly Dictionary<string, DateTimeOffset> expiries = new(StringComparer.Ordinal);

    public string Issue(TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        foreach (var expired in expiries.Where(e => e.Value <= now).Select(e => e.Key).ToList())
        {
            expiries.Remove(expired);
        }

        var token = NewOpaqueToken();
        expiries[token] = now + lifetime;
        return token;
    }

    public bool IsValid(string? token) => ExpiryOf(token) is not null;

    /// <summary>When <paramref name="token"/> dies, or null when it is not (or no longer) valid.</summary>
    public DateTimeOffset? ExpiryOf(string? token) =>
        token is not null && expiries.TryGetValue(token, out var expiry) && time.GetUtcNow() < expiry ? expiry : null;

    public void RevokeAll() => expiries.Clear();

    internal static string NewOpaqueToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static bool SameSecret(string? presented, string expected) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}

internal enum GrantOutcome
{
    Issued,
    InvalidGrant,
    RateLimited,
}

/// <summary>What a token endpoint answers. Deliberately has no ToString that could leak the tokens.</summary>
internal sealed class GrantResult
{
    private GrantResult(GrantOutcome outcome, string accessToken, string refreshToken, TimeSpan lifetime, TimeSpan retryAfter)
    {
        Outcome = outcome;
        AccessToken = accessToken;
        RefreshToken = refreshToken;
        Lifetime = lifetime;
        RetryAfter = retryAfter;
    }

    public GrantOutcome Outcome { get; }
    public string AccessToken { get; }
    public string RefreshToken { get; }
    public TimeSpan Lifetime { get; }
    public TimeSpan RetryAfter { get; }

    public static GrantResult Issued(string accessToken, string refreshToken, TimeSpan lifetime) =>
        new(GrantOutcome.Issued, accessToken, refreshToken, lifetime, TimeSpan.Zero);

    public static readonly GrantResult InvalidGrant = new(GrantOutcome.InvalidGrant, "", "", TimeSpan.Zero, TimeSpan.Zero);

    public static GrantResult RateLimited(TimeSpan retryAfter) =>
        new(GrantOutcome.RateLimited, "", "", TimeSpan.Zero, retryAfter);

    public override string ToString() => Outcome.ToString();
}

/// <summary>
/// The brand's OAuth server for the demo account. Refresh tokens rotate on every use and the old one dies at once;
/// more than <see cref="PsaCloud.MaxRefreshesPerWindow"/> refreshes in <see cref="PsaCloud.RefreshWindow"/> bans the
/// account for <see cref="PsaCloud.RefreshBanDuration"/>, because the real IDP punishes chatty clients that way.
/// </summary>
internal sealed class PsaIdentityProvider(TimeProvider time, TimeSpan accessTokenLifetime)
{
    private readonly object gate = new();
    private readonly BearerTokenStore accessTokens = new(time);
    private readonly Queue<DateTimeOffset> recentRefreshes = new();
    private string currentRefreshToken = PsaCloud.DemoRefreshToken;
    private DateTimeOffset bannedUntil = DateTimeOffset.MinValue;
    private int refreshCount;

    public int RefreshCount
    {
        get { lock (gate) return refreshCount; }
    }

    public string CurrentRefreshToken
    {
        get { lock (gate) return currentRefreshToken; }
    }

    public GrantResult Refresh(string? presentedRefreshToken)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            refreshCount++;
            if (now < bannedUntil)
            {
                return GrantResult.RateLimited(bannedUntil - now);
            }

            if (!BearerTokenStore.SameSecret(presentedRefreshToken, currentRefreshToken))
            {
                return GrantResult.InvalidGrant;
            }

            while (recentRefreshes.TryPeek(out var oldest) && now - oldest >= PsaCloud.RefreshWindow)
            {
                recentRefreshes.Dequeue();
            }

            if (recentRefreshes.Count >= PsaCloud.MaxRefreshesPerWindow)
            {
                bannedUntil = now + PsaCloud.RefreshBanDuration;
                return GrantResult.RateLimited(PsaCloud.RefreshBanDuration);
            }

            recentRefreshes.Enqueue(now);
            currentRefreshToken = Guid.NewGuid().ToString();
            return GrantResult.Issued(accessTokens.Issue(accessTokenLifetime), currentRefreshToken, accessTokenLifetime);
        }
    }

    /// <summary>A browser login's code was exchanged: a new session, whose refresh token is the one to present next.</summary>
    public GrantResult StartSession()
    {
        lock (gate)
        {
            currentRefreshToken = Guid.NewGuid().ToString();
            return GrantResult.Issued(accessTokens.Issue(accessTokenLifetime), currentRefreshToken, accessTokenLifetime);
        }
    }

    /// <summary>Every access token issued so far stops working (401); refresh tokens keep working.</summary>
    public void RevokeAccessTokens() => accessTokens.RevokeAll();

    public bool IsValidAccessToken(string? token)
    {
        lock (gate)
        {
            return accessTokens.IsValid(token);
        }
    }
}

/// <summary>
/// The virtual-key service that hands out remote-command tokens. Its refresh token rotates like the OAuth one and
/// lapses when left unused for <paramref name="refreshTokenIdleLifetime"/> (then only a one-time password gets a new
/// one); a remote access token is the broker's login password and what every MQTT command envelope must carry.
/// </summary>
internal sealed class PsaRemoteAccess(TimeProvider time, TimeSpan remoteTokenLifetime, TimeSpan refreshTokenIdleLifetime)
{
    private readonly object gate = new();
    private readonly BearerTokenStore remoteTokens = new(time);
    private readonly List<string> issued = [];
    private string currentRefreshToken = PsaCloud.DemoRemoteRefreshToken;
    private DateTimeOffset refreshTokenIssuedAt = time.GetUtcNow();
    private int refreshCount;

    public int RefreshCount
    {
        get { lock (gate) return refreshCount; }
    }

    public IReadOnlyList<string> Issued
    {
        get { lock (gate) return issued.ToArray(); }
    }

    public string CurrentRefreshToken
    {
        get { lock (gate) return currentRefreshToken; }
    }

    public GrantResult Refresh(string? presentedRefreshToken)
    {
        lock (gate)
        {
            refreshCount++;
            if (!BearerTokenStore.SameSecret(presentedRefreshToken, currentRefreshToken)
                || time.GetUtcNow() - refreshTokenIssuedAt >= refreshTokenIdleLifetime)
            {
                return GrantResult.InvalidGrant;
            }

            return IssueLocked();
        }
    }

    /// <summary>After an accepted one-time password: a new token pair, and every earlier refresh token dies.</summary>
    public GrantResult Issue()
    {
        lock (gate)
        {
            return IssueLocked();
        }
    }

    private GrantResult IssueLocked()
    {
        currentRefreshToken = Guid.NewGuid().ToString();
        refreshTokenIssuedAt = time.GetUtcNow();
        var remoteToken = remoteTokens.Issue(remoteTokenLifetime);
        issued.Add(remoteToken);
        return GrantResult.Issued(remoteToken, currentRefreshToken, remoteTokenLifetime);
    }

    public bool IsValidRemoteToken(string? token) => ExpiryOf(token) is not null;

    public DateTimeOffset? ExpiryOf(string? token)
    {
        lock (gate)
        {
            return remoteTokens.ExpiryOf(token);
        }
    }

    public void RevokeAll()
    {
        lock (gate)
        {
            remoteTokens.RevokeAll();
        }
    }

    /// <summary>The current refresh token stops working; only a one-time password gets a new pair.</summary>
    public void RevokeRefreshToken()
    {
        lock (gate)
        {
            currentRefreshToken = Guid.NewGuid().ToString();
        }
    }
}
