using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Psa;

/// <summary>
/// The rotated refresh tokens in `{DataDirectory}/psa-tokens.json`. PSA kills a refresh token as soon as it hands out
/// the next one, so the newest must survive a restart. A stored token wins over the configured seed unless the seed
/// changed since (the file keeps a hash of the seed, never the seed itself), which is how a user re-logs in, at start
/// or by editing the configuration while the gateway runs; removing the seed keeps the stored token. A login in the
/// owner's browser is stored here too, with the app credentials its tokens belong to.
/// </summary>
internal sealed class PsaTokenStore : IDisposable
{
    public const string FileName = "psa-tokens.json";

    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly SettingsFile<StoredTokens> file;
    private readonly object gate = new();
    private readonly IDisposable? seedChanges;
    private StoredTokens tokens;

    public PsaTokenStore(IOptionsMonitor<PsaOptions> psaOptions, IOptions<GatewayOptions> gatewayOptions, TimeProvider time,
        ILogger<PsaTokenStore> logger)
    {
        // A damaged store is not fatal: the configured seed, or a new login, is the way back in.
        file = new(Path.Combine(gatewayOptions.Value.DataDirectory, FileName), PsaJson.Options,
            "the PSA account starts from the configured refresh token, or needs a new login", time, logger);
        tokens = Reconcile(file.Load(), psaOptions.CurrentValue);
        seedChanges = psaOptions.OnChange(OnConfigurationChanged);
    }

    public string RefreshToken
    {
        get
        {
            lock (gate)
            {
                return tokens.RefreshToken;
            }
        }
    }

    /// <summary>The account connected in the owner's browser, or null when the tokens come from the settings.</summary>
    public PsaStoredLogin? Login
    {
        get
        {
            lock (gate)
            {
                return tokens.Login;
            }
        }
    }

    public string? RemoteRefreshToken
    {
        get
        {
            lock (gate)
            {
                return tokens.RemoteRefreshToken;
            }
        }
    }

    /// <summary>True when the cloud refused the current refresh token (invalid_grant) and the seed has not changed since.</summary>
    public bool RefreshTokenRejected
    {
        get
        {
            lock (gate)
            {
                return tokens.RefreshTokenRejected;
            }
        }
    }

    public bool RemoteRefreshTokenRejected
    {
        get
        {
            lock (gate)
            {
                return tokens.RemoteRefreshTokenRejected;
            }
        }
    }

    /// <summary>When the current remote refresh token was stored; null when it came from the settings and was never used.</summary>
    public DateTimeOffset? RemoteRefreshedAt
    {
        get
        {
            lock (gate)
            {
                return tokens.RemoteRefreshedAt;
            }
        }
    }

    /// <summary>
    /// Why remote commands need a new pairing (the soft token was revoked, PSA refused its one-time password), in
    /// words; null while the pairing, if any, is usable. No further one-time password is asked for until it changes.
    /// </summary>
    public string? RemotePairingLost
    {
        get
        {
            lock (gate)
            {
                return tokens.RemotePairingLost;
            }
        }
    }

    public Task SaveRefreshTokenAsync(string refreshToken) =>
        UpdateAsync(t => t with { RefreshToken = refreshToken, RefreshTokenRejected = false });

    /// <summary>A browser login replaces the account: its refresh token and app credentials, in one write.</summary>
    public Task SaveLoginAsync(PsaStoredLogin login, string refreshToken) =>
        UpdateAsync(t => t with { RefreshToken = refreshToken, RefreshTokenRejected = false, Login = login });

    public Task SaveCustomerIdAsync(string customerId) =>
        UpdateAsync(t => t.Login is null ? t : t with { Login = t.Login with { CustomerId = customerId } });

    public Task SaveRemoteRefreshTokenAsync(string remoteRefreshToken, DateTimeOffset at) =>
        UpdateAsync(t => t with
        {
            RemoteRefreshToken = remoteRefreshToken,
            RemoteRefreshTokenRejected = false,
            RemoteRefreshedAt = at,
            RemotePairingLost = null,
        });

    /// <summary>
    /// An account brought from psa_car_controller replaces the account and its remote access in one write: the login,
    /// its refresh token and the remote refresh token (null = none; a one-time password gets the first one).
    /// </summary>
    public Task SaveImportAsync(PsaStoredLogin login, string refreshToken, string? remoteRefreshToken) =>
        UpdateAsync(t => t with
        {
            RefreshToken = refreshToken,
            RefreshTokenRejected = false,
            Login = login,
            RemoteRefreshToken = remoteRefreshToken,
            RemoteRefreshTokenRejected = false,
            RemoteRefreshedAt = null,
            RemotePairingLost = null,
        });

    /// <summary>A new soft token was paired: whatever made the previous pairing unusable no longer applies.</summary>
    public Task ClearRemotePairingLostAsync() => UpdateAsync(t => t with { RemotePairingLost = null });

    public Task MarkRemotePairingLostAsync(string reason) => UpdateAsync(t => t with { RemotePairingLost = reason });

    public Task MarkRefreshTokenRejectedAsync() =>
        UpdateAsync(t => t with { RefreshTokenRejected = true });

    public Task MarkRemoteRefreshTokenRejectedAsync() =>
        UpdateAsync(t => t with { RemoteRefreshTokenRejected = true });

    // Not cancellable: once the cloud has rotated a token, losing the new one locks the user out.
    private async Task UpdateAsync(Func<StoredTokens, StoredTokens> change)
    {
        // Serialised so two rotations (OAuth and remote) never interleave their read-modify-write of one file.
        await writeGate.WaitAsync();
        try
        {
            StoredTokens changed;
            lock (gate)
            {
                tokens = change(tokens);
                changed = tokens;
            }

            await file.SaveAsync(changed, CancellationToken.None);
        }
        finally
        {
            writeGate.Release();
        }
    }

    private void OnConfigurationChanged(PsaOptions options)
    {
        lock (gate)
        {
            tokens = Reconcile(tokens, options);
        }
    }

    public void Dispose()
    {
        seedChanges?.Dispose();
        writeGate.Dispose();
    }

    /// <summary>Whether a data directory holds a refresh token, so the adapter has an account without any setting.</summary>
    public static bool HoldsRefreshToken(string dataDirectory) =>
        SettingsFile<StoredTokens>.Peek(Path.Combine(dataDirectory, FileName), PsaJson.Options) is { RefreshToken.Length: > 0 };

    private static StoredTokens Reconcile(StoredTokens? stored, PsaOptions options)
    {
        var seedHash = Hash(options.RefreshToken);
        var remoteSeedHash = Hash(options.RemoteRefreshToken);
        var keepStored = stored is not null && !string.IsNullOrEmpty(stored.RefreshToken)
                         && (stored.SeedHash == seedHash || string.IsNullOrWhiteSpace(options.RefreshToken));
        var keepStoredRemote = stored is not null && stored.RemoteSeedHash == remoteSeedHash
                               && !string.IsNullOrEmpty(stored.RemoteRefreshToken);
        return new StoredTokens(
            keepStored ? stored!.RefreshToken : options.RefreshToken,
            seedHash,
            keepStored && stored!.RefreshTokenRejected,
            keepStoredRemote ? stored!.RemoteRefreshToken : NullIfEmpty(options.RemoteRefreshToken),
            remoteSeedHash,
            keepStoredRemote && stored!.RemoteRefreshTokenRejected,
            keepStored ? stored!.Login : null,
            keepStoredRemote ? stored!.RemoteRefreshedAt : null,
            stored?.RemotePairingLost);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string Hash(string? seed) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed ?? "")));

    private sealed record StoredTokens(
        string RefreshToken,
        string SeedHash,
        bool RefreshTokenRejected,
        string? RemoteRefreshToken,
        string RemoteSeedHash,
        bool RemoteRefreshTokenRejected,
        PsaStoredLogin? Login = null,
        DateTimeOffset? RemoteRefreshedAt = null,
        string? RemotePairingLost = null)
    {
        public override string ToString() => nameof(StoredTokens);
    }
}

/// <summary>
/// An account connected in the owner's browser: which app it logged in through, and who it is (the customer id as
/// car-associations gives it, "AP-ACNT...", null until read).
/// </summary>
internal sealed record PsaStoredLogin(
    [property: JsonConverter(typeof(JsonStringEnumConverter<PsaBrand>))] PsaBrand Brand,
    string Country,
    string ClientId,
    string ClientSecret,
    string? CustomerId)
{
    public override string ToString() => $"{nameof(PsaStoredLogin)} {{ Brand = {Brand}, Country = {Country} }}";
}
