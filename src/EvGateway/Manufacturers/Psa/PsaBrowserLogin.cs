using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using EvGateway.Vehicles;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Psa;

/// <summary>
/// The first login, in the owner's own browser (psa.md §1b): <see cref="Start"/> gives the brand's login page address
/// with PKCE; the owner logs in there (the gateway never sees the password, and the page's reCAPTCHA rules out doing it
/// headless) and pastes back the app address the page ended on; <see cref="CompleteAsync"/> trades its code at once,
/// stores the tokens, and the adapter serves that account's cars from then on, without a restart.
/// </summary>
internal sealed partial class PsaBrowserLogin(
    PsaOAuthClient oauth,
    PsaTokenProvider tokens,
    PsaTokenStore store,
    PsaCustomerIdReader customerIds,
    PsaProvider provider,
    IOptions<PsaOptions> options,
    TimeProvider time,
    ILogger<PsaBrowserLogin> logger)
{
    /// <summary>How long a started login waits for its code; the brand's code itself lives much shorter.</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(10);

    private const string Scope = "openid profile";

    private readonly object gate = new();
    private readonly SemaphoreSlim completing = new(1, 1);
    private PendingLogin? pending;

    /// <summary>True while a started login waits for the address its page ends on.</summary>
    public bool IsWaitingForCode
    {
        get
        {
            lock (gate)
            {
                return pending is { } login && time.GetUtcNow() < login.ExpiresAt;
            }
        }
    }

    /// <summary>
    /// Starts a login (forgetting any unfinished one) and returns the address of the brand's login page for the owner
    /// to open. <paramref name="clientId"/> and <paramref name="clientSecret"/> are the brand app's (psa_car_controller's
    /// config.json has them); both null = those of the stored login of this brand (logging in again), else Psa:ClientId
    /// and Psa:ClientSecret. <paramref name="country"/> null = Psa:Country.
    /// </summary>
    /// <exception cref="GatewayException">validation_failed, naming the field.</exception>
    public Uri Start(PsaBrand brand, string? country = null, string? clientId = null, string? clientSecret = null)
    {
        if (!Enum.IsDefined(brand))
        {
            throw GatewayException.Validation("brand must be Peugeot, Citroen, DS, Opel or Vauxhall.");
        }

        var settings = options.Value;
        var countryCode = (string.IsNullOrWhiteSpace(country) ? settings.Country : country).Trim().ToUpperInvariant();
        if (!PsaOptions.IsCountryCode(countryCode))
        {
            throw GatewayException.Validation("country must be a two-letter country code such as FR.");
        }

        var client = ClientFor(brand, clientId, clientSecret, settings);
        var redirectUri = PsaBrandProfile.Of(brand).RedirectUri(countryCode);
        // 64 random bytes make an 86-character verifier, the length the brand apps send (RFC 7636 allows 43 to 128).
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(64));
        var state = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        lock (gate)
        {
            pending = new PendingLogin(client, countryCode, redirectUri, state, verifier, time.GetUtcNow() + PendingLifetime);
        }

        LogStarted(logger, brand, countryCode);
        return new Uri(QueryHelpers.AddQueryString(settings.AuthorizeUrlFor(brand).ToString(), new Dictionary<string, string?>
        {
            ["client_id"] = client.ClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = redirectUri,
            ["scope"] = Scope,
            ["state"] = state,
            ["code_challenge"] = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
        }));
    }

    /// <summary>
    /// Finishes the started login with what the owner pasted: the whole app address the brand's page ended on
    /// (its state must be this login's) or the bare code. Refusals change nothing and say why in words safe to show;
    /// the started login stays open, so the owner can log in again on the same page and paste the new address.
    /// </summary>
    /// <exception cref="GatewayException">The identity server could not be reached or failed (upstream_*).</exception>
    public async Task<PsaLoginResult> CompleteAsync(string redirectUrlOrCode, CancellationToken cancellationToken)
    {
        if (PastedRedirect.Parse(redirectUrlOrCode) is not { } pasted)
        {
            return Refused(PsaLoginOutcome.Unreadable,
                "Paste the whole address the brand's page ended on (it starts with the app's name and holds code=...), or the code alone.");
        }

        await completing.WaitAsync(cancellationToken);
        try
        {
            PendingLogin? login;
            lock (gate)
            {
                login = pending;
            }

            if (login is null || time.GetUtcNow() >= login.ExpiresAt)
            {
                return Refused(PsaLoginOutcome.NoLoginPending,
                    "No login is waiting for a code (a login must be finished within 10 minutes of its start): start it again.");
            }

            if (pasted.State is { } state && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(login.State)))
            {
                return Refused(PsaLoginOutcome.StateMismatch,
                    "This address belongs to another login attempt: paste the one from the login page opened last, or start again.");
            }

            PsaTokenResponse answer;
            try
            {
                // Not cancellable: the code is spent by the time the answer comes, so the answer must not be dropped.
                answer = await oauth.ExchangeCodeAsync(login.Client, pasted.Code, login.RedirectUri, login.Verifier, CancellationToken.None);
            }
            catch (PsaLoginRejectedException refusal) when (refusal.ClientRefused)
            {
                return Refused(PsaLoginOutcome.ClientRejected,
                    "The identity server refused the app's client id or secret: check them (stray characters in a pasted secret are a known cause).");
            }
            catch (PsaLoginRejectedException)
            {
                return Refused(PsaLoginOutcome.AuthorizationRejected,
                    "The code was refused: it expired (it lives about a minute), was used already, or belongs to another login. Log in again on the same page and paste the new address.");
            }

            lock (gate)
            {
                if (ReferenceEquals(pending, login))
                {
                    pending = null;
                }
            }

            var client = login.Client;
            await tokens.ConnectAsync(new PsaStoredLogin(client.Brand, login.Country, client.ClientId, client.ClientSecret, CustomerId: null), answer);
            provider.ForgetCars();
            var customerId = await customerIds.ReadAsync(cancellationToken);
            return new PsaLoginResult(PsaLoginOutcome.Connected, $"The {client.Brand} account is connected.", customerId);
        }
        finally
        {
            completing.Release();
        }
    }

    private PsaLoginResult Refused(PsaLoginOutcome outcome, string detail)
    {
        LogRefused(logger, outcome);
        return new PsaLoginResult(outcome, detail);
    }

    private PsaAppClient ClientFor(PsaBrand brand, string? clientId, string? clientSecret, PsaOptions settings)
    {
        var id = clientId?.Trim() ?? "";
        var secret = clientSecret?.Trim() ?? "";
        if (id.Length == 0 && secret.Length == 0)
        {
            // Logging in again (the stored login lapsed, or an imported refresh token was dead) reuses the app it went through.
            if (store.Login is { } stored && stored.Brand == brand)
            {
                return new PsaAppClient(brand, stored.ClientId, stored.ClientSecret);
            }

            if (string.IsNullOrWhiteSpace(settings.ClientId) || string.IsNullOrWhiteSpace(settings.ClientSecret))
            {
                throw GatewayException.Validation("clientId and clientSecret are required (the brand app's), unless Psa:ClientId and Psa:ClientSecret are set.");
            }

            // Client ids differ per brand: the configured ones belong to Psa:Brand's app only.
            if (settings.Brand != brand)
            {
                throw GatewayException.Validation($"clientId and clientSecret are required: Psa:ClientId belongs to the {settings.Brand} app, not {brand}'s.");
            }

            return new PsaAppClient(brand, settings.ClientId.Trim(), settings.ClientSecret.Trim());
        }

        if (id.Length == 0 || secret.Length == 0)
        {
            throw GatewayException.Validation(id.Length == 0 ? "clientId is required with clientSecret." : "clientSecret is required with clientId.");
        }

        return new PsaAppClient(brand, id, secret);
    }

    [LoggerMessage(LogLevel.Information, "PSA browser login started for a {Brand} account ({Country})")]
    private static partial void LogStarted(ILogger logger, PsaBrand brand, string country);

    [LoggerMessage(LogLevel.Warning, "PSA browser login refused: {Outcome}")]
    private static partial void LogRefused(ILogger logger, PsaLoginOutcome outcome);

    private sealed record PendingLogin(PsaAppClient Client, string Country, string RedirectUri, string State, string Verifier,
        DateTimeOffset ExpiresAt)
    {
        public override string ToString() => $"{nameof(PendingLogin)} {{ {Client}, ExpiresAt = {ExpiresAt:O} }}";
    }

    /// <summary>What the owner pasted, read leniently: a desktop browser shows the app address in various states of decoding.</summary>
    private sealed record PastedRedirect(string Code, string? State)
    {
        public static PastedRedirect? Parse(string? text)
        {
            var value = text?.Trim() ?? "";
            var fragment = value.IndexOf('#', StringComparison.Ordinal);
            value = fragment < 0 ? value : value[..fragment];
            var queryStart = value.IndexOf('?', StringComparison.Ordinal);
            if (queryStart < 0 && !value.Contains('=', StringComparison.Ordinal))
            {
                return IsCode(value) ? new PastedRedirect(value, null) : null;
            }

            var query = QueryHelpers.ParseQuery(queryStart < 0 ? value : value[queryStart..]);
            var code = Single(query, "code");
            return code is not null && IsCode(code) ? new PastedRedirect(code, Single(query, "state")) : null;
        }

        private static string? Single(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query, string name) =>
            query.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;

        // The brand's codes are UUIDs; anything URL-safe of a plausible length is accepted in case that changes.
        private static bool IsCode(string value) =>
            value.Length is >= 8 and <= 512 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~');

        public override string ToString() => nameof(PastedRedirect);
    }
}

/// <summary>How a browser login ended. Only <see cref="PsaLoginOutcome.Connected"/> changed anything.</summary>
/// <param name="Outcome">What happened; the REST surface maps each refusal to its own answer.</param>
/// <param name="Detail">What to tell the owner; never carries a code, token or secret.</param>
/// <param name="CustomerId">When connected: the MQTT customer id ("AP-ACNT..."), or null when the cloud gave none.</param>
internal sealed record PsaLoginResult(PsaLoginOutcome Outcome, string Detail, string? CustomerId = null);

internal enum PsaLoginOutcome
{
    /// <summary>The account is connected and its tokens stored.</summary>
    Connected,

    /// <summary>The identity server refused the code: expired, used already, or not issued for this login (PKCE).</summary>
    AuthorizationRejected,

    /// <summary>The identity server refused the app's client id or secret (invalid_client).</summary>
    ClientRejected,

    /// <summary>The pasted address carries another login attempt's state.</summary>
    StateMismatch,

    /// <summary>No login was started in the last <see cref="PsaBrowserLogin.PendingLifetime"/>.</summary>
    NoLoginPending,

    /// <summary>What was pasted holds no code.</summary>
    Unreadable,
}
