using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;

namespace EvGateway.Manufacturers.Renault;

/// <summary>
/// The Renault login as the owner sees it: the password login, the 6-digit code Renault e-mails when it asks for one
/// (renault.md §1b), and the login token kept in the data directory with the device that passed the code, so a restart
/// needs neither the password nor a code. When Renault refuses the stored token the password is used again, once.
/// <para>
/// Nothing is sent in a loop. A car read logs in at most once; while Renault waits for a code, for the owner or for
/// corrected credentials, reads fail at once without calling Gigya. A code is e-mailed only by <see cref="RequestCodeAsync"/>,
/// at most once a <see cref="ResendCooldown"/>; a login or code is sent otherwise only by <see cref="LoginAsync"/> and
/// <see cref="VerifyAsync"/>. Every step runs one at a time.
/// </para>
/// </summary>
public sealed partial class RenaultLoginFlow : IDisposable
{
    /// <summary>How long after a code is e-mailed before another may be requested. Renault's own page offers a resend
    /// after about 10 s; a minute lets a slow e-mail arrive before a second one replaces it.</summary>
    public static readonly TimeSpan ResendCooldown = TimeSpan.FromSeconds(60);

    private const string WrongCodeDetails = "Wrong verification code";
    private const string TooManyTriesDetails = "Maximum allowed tries exceeded";

    // A regToken this close to its end is replaced before a code goes out that could not be used in time.
    private static readonly TimeSpan ChallengeMargin = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan DefaultChallengeLifetime = TimeSpan.FromHours(1);

    private readonly IGigyaApi gigya;
    private readonly RenaultSessionStore store;
    private readonly IOptionsMonitor<RenaultOptions> options;
    private readonly TimeProvider time;
    private readonly ILogger<RenaultLoginFlow> logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly IDisposable? optionsSubscription;

    // Changed only while `gate` is held; read without it only where a stale value is harmless.
    private StoredRenaultSession stored;
    private Credentials? credentials;
    private volatile GigyaSession? session;
    private volatile GigyaDevice? device;
    private PendingCode? pending;
    private bool credentialsRejected;
    private string? halted;
    private string? failure;

    private string appliedOptions;
    private string appliedGigya;
    private RenaultOptions? reconfigured;
    private volatile RenaultAccountState state;

    internal RenaultLoginFlow(IGigyaApi gigya, RenaultSessionStore store, IOptionsMonitor<RenaultOptions> options, TimeProvider time,
        ILogger<RenaultLoginFlow> logger)
    {
        this.gigya = gigya;
        this.store = store;
        this.options = options;
        this.time = time;
        this.logger = logger;
        stored = store.Load();
        device = stored is { Gmid: { } gmid, Ucid: { } ucid } ? new GigyaDevice(gmid, ucid) : null;
        appliedOptions = Fingerprint(options.CurrentValue);
        appliedGigya = GigyaEndpoint(options.CurrentValue);
        credentials = ConfiguredCredentials(options.CurrentValue) ?? StoredCredentials();
        session = StoredSession();
        state = Compute();
        optionsSubscription = options.OnChange(OnOptionsChanged);
    }

    /// <summary>The state now, without calling the cloud.</summary>
    public RenaultAccountState State => state;

    /// <summary>True when an account is known: configured, kept from an earlier login, or supplied at run time.</summary>
    public bool HasAccount => state.Login is not null;

    /// <summary>Raised after every change of <see cref="State"/>, outside the flow's lock.</summary>
    public event Action<RenaultAccountState>? StateChanged;

    /// <summary>The login token in use was replaced or dropped: a JWT issued from it is of no further use.</summary>
    internal event Action? SessionChanged;

    internal string? PersonId => session?.PersonId;

    internal string? Cookies => device?.CookieHeader;

    /// <summary>
    /// The state after making sure a login was tried: logs in once when nothing was tried yet or the cloud failed,
    /// never while a code, the owner or corrected credentials are awaited.
    /// </summary>
    public Task<RenaultAccountState> GetStateAsync(CancellationToken cancellationToken) => UnderGateAsync(async () =>
    {
        if (session is null && MayLogIn())
        {
            try
            {
                await PasswordLoginAsync(credentials!, cancellationToken);
            }
            catch (GatewayException)
            {
                // The state carries the reason.
            }
        }

        return Compute();
    }, cancellationToken);

    /// <summary>
    /// Logs in with a login supplied at run time; it replaces the configured one until the configuration changes. Its
    /// login token is stored, and used after a restart unless Renault:Username names another account; the password is
    /// not stored. Answers Connected, CodeRequired (nothing is e-mailed yet) or CredentialsRejected; a cloud failure throws.
    /// </summary>
    public Task<RenaultAccountState> LoginAsync(string username, string password, string locale, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(username) || !username.Contains('@', StringComparison.Ordinal))
        {
            throw GatewayException.Validation("username must be the e-mail address of the MyRenault account.");
        }

        if (string.IsNullOrEmpty(password))
        {
            throw GatewayException.Validation("password must not be empty.");
        }

        if (locale is null || !RenaultOptionsValidator.IsLocale(locale))
        {
            throw GatewayException.Validation($"locale must look like fr_FR (language_COUNTRY), got '{locale}'.");
        }

        return UnderGateAsync(async () =>
        {
            var login = new Credentials(username.Trim(), password, locale);
            (credentials, credentialsRejected, halted, failure, pending) = (login, false, null, null, null);
            SetSession(null);
            if (!string.Equals(stored.Username, login.Username, StringComparison.OrdinalIgnoreCase))
            {
                await SaveAsync(stored with { Username = login.Username, Locale = login.Locale, LoginToken = null, PersonId = null });
            }

            await PasswordLoginAsync(login, cancellationToken);
            return Compute();
        }, cancellationToken);
    }

    /// <summary>
    /// E-mails the code Renault asked for (CodeRequired only). Refused with 409 before <see cref="ResendCooldown"/> has
    /// passed since the last one (Retry-After says how long), and when no code is pending. A pending login older than
    /// Renault's hour is renewed first with one password login.
    /// </summary>
    public Task<RenaultCodeSent> RequestCodeAsync(CancellationToken cancellationToken) => UnderGateAsync(async () =>
    {
        if (pending is null)
        {
            throw GatewayException.Conflict(session is null ? "No Renault code is pending: log in first." : "No Renault code is pending: the account is connected.");
        }

        var now = time.GetUtcNow();
        if (pending.SentAt is { } sentAt && now < sentAt + ResendCooldown)
        {
            var wait = sentAt + ResendCooldown - now;
            throw new GatewayException(ErrorCodes.Conflict, 409,
                $"A Renault code was e-mailed {(int)(now - sentAt).TotalSeconds} s ago; another may be requested in {Math.Ceiling(wait.TotalSeconds)} s.", wait);
        }

        if (pending.RegToken is null || now >= pending.RegTokenExpiresAt - ChallengeMargin)
        {
            pending = null;
            if (await PasswordLoginAsync(credentials!, cancellationToken) is not null)
            {
                throw GatewayException.Conflict("No Renault code is needed any more: the account is connected.");
            }

            if (pending is null)
            {
                throw OwnerNeeded();
            }
        }

        var challenge = pending;
        var settings = options.CurrentValue;
        var browser = await DeviceAsync(settings, cancellationToken);
        if (challenge.Assertion is null)
        {
            var init = await CallAsync(ct => gigya.InitTfaAsync(new GigyaInitTfaForm(settings.GigyaApiKey, challenge.RegToken!, browser),
                browser.CookieHeader, ct), cancellationToken);
            if (init.ErrorCode != 0 || string.IsNullOrEmpty(init.GigyaAssertion))
            {
                // Perhaps Gigya no longer knows the device; a new one costs nothing, since Renault asking for a code
                // means this one is not remembered anyway.
                device = null;
                await SaveAsync(stored with { Gmid = null, Ucid = null });
                throw ChallengeRefused(challenge, init, "initTFA");
            }

            var emails = await CallAsync(ct => gigya.GetTfaEmailsAsync(new GigyaAssertionForm(settings.GigyaApiKey, init.GigyaAssertion),
                browser.CookieHeader, ct), cancellationToken);
            if (emails.ErrorCode != 0)
            {
                throw ChallengeRefused(challenge, emails, "getEmails");
            }

            if (emails.Emails?.FirstOrDefault(e => !string.IsNullOrEmpty(e.Id)) is not { } email)
            {
                throw Failed(GatewayException.Unavailable(RenaultProvider.MakerName, "the Renault account has no e-mail address to send a code to"));
            }

            challenge.Started(init.GigyaAssertion, email.Id!, email.Obfuscated ?? Mask(credentials!.Username));
        }

        var sent = await CallAsync(ct => gigya.SendVerificationCodeAsync(
            new GigyaSendCodeForm(settings.GigyaApiKey, challenge.Assertion!, challenge.EmailId!, credentials!.Language), browser.CookieHeader, ct),
            cancellationToken);
        if (sent.ErrorCode != 0 || string.IsNullOrEmpty(sent.PhvToken))
        {
            throw ChallengeRefused(challenge, sent, "sendVerificationCode");
        }

        challenge.CodeSent(sent.PhvToken, now, $"A code was e-mailed to {challenge.SentTo}; enter it to finish the login.");
        LogCodeSent(challenge.SentTo!);
        return new RenaultCodeSent(challenge.SentTo!, now + ResendCooldown);
    }, cancellationToken);

    /// <summary>
    /// Completes the login with the e-mailed code: Renault checks it, the device is remembered for 30 days ("don't ask
    /// again on this device") and the password login is repeated, now without a code. A wrong code is
    /// <see cref="RenaultCodeCheck.Rejected"/> and the same code request stays usable; too many wrong codes or an
    /// expired request are <see cref="RenaultCodeCheck.Expired"/>, back to CodeRequired with the reason.
    /// </summary>
    public Task<RenaultVerification> VerifyAsync(string code, CancellationToken cancellationToken)
    {
        var entered = code?.Trim() ?? "";
        if (!SixDigits().IsMatch(entered))
        {
            throw GatewayException.Validation("code must be the 6 digits of Renault's e-mail.");
        }

        return UnderGateAsync(async () =>
        {
            if (pending is not { PhvToken: { } phvToken } challenge)
            {
                throw GatewayException.Conflict("No Renault code has been requested: request one first.");
            }

            if (time.GetUtcNow() >= challenge.RegTokenExpiresAt)
            {
                return Ended(challenge, "The code request expired (Renault keeps it about an hour); request a new code.");
            }

            var settings = options.CurrentValue;
            var browser = device!;
            var check = await CallAsync(ct => gigya.CompleteVerificationAsync(
                new GigyaCompleteVerificationForm(settings.GigyaApiKey, challenge.Assertion!, phvToken, entered), browser.CookieHeader, ct),
                cancellationToken);
            switch (check)
            {
                case { ErrorCode: 0, ProviderAssertion: { Length: > 0 } }:
                    break;
                case { ErrorDetails: WrongCodeDetails }:
                    challenge.Detail = $"The code was not accepted; check the e-mail sent to {challenge.SentTo} and enter it again.";
                    LogWrongCode();
                    return new RenaultVerification(RenaultCodeCheck.Rejected, Compute());
                case { ErrorDetails: TooManyTriesDetails }:
                    challenge.Restart("Too many wrong codes: request a new code.", keepRegToken: true);
                    LogTooManyTries();
                    return new RenaultVerification(RenaultCodeCheck.Expired, Compute());
                case { ErrorCode: GigyaErrorCodes.InvalidApiKey }:
                    throw Failed(GigyaCalls.Failure(check, "completeVerification"));
                default:
                    return Ended(challenge, $"Renault no longer accepts this code request (Gigya error {check.ErrorCode}); request a new code.");
            }

            var finalized = await CallAsync(ct => gigya.FinalizeTfaAsync(
                new GigyaFinalizeTfaForm(settings.GigyaApiKey, challenge.Assertion!, check.ProviderAssertion, challenge.RegToken!),
                browser.CookieHeader, ct), cancellationToken);
            if (finalized.ErrorCode != 0)
            {
                return Ended(challenge, $"Renault did not complete the code check (Gigya error {finalized.ErrorCode}); request a new code.");
            }

            LogDeviceRemembered();
            pending = null;
            await PasswordLoginAsync(credentials!, cancellationToken);
            return new RenaultVerification(RenaultCodeCheck.Accepted, Compute());
        }, cancellationToken);
    }

    /// <summary>The session the JWT comes from: the one held, the stored one, or one password login; throws when the
    /// owner has to act first.</summary>
    internal Task<GigyaSession> SessionAsync(CancellationToken cancellationToken) =>
        UnderGateAsync(async () => session ?? await EstablishAsync(cancellationToken), cancellationToken);

    /// <summary>Gigya refused <paramref name="refused"/> (403005/403013): forget it and log in with the password, once.</summary>
    internal Task<GigyaSession> SessionRefusedAsync(GigyaSession refused, int errorCode, CancellationToken cancellationToken) =>
        UnderGateAsync(async () =>
        {
            if (!ReferenceEquals(session, refused))
            {
                return session ?? await EstablishAsync(cancellationToken);
            }

            LogLoginTokenRefused(errorCode);
            SetSession(null);
            await SaveAsync(stored with { LoginToken = null, PersonId = null });
            if (refused is { FromPassword: true, Proven: false })
            {
                halted = "Gigya refused the login token it had just issued; no further login is tried until the configuration changes or the owner logs in again.";
                LogHalted();
            }

            return await EstablishAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>A JWT came from <paramref name="working"/>: if Gigya refuses it later, logging in again is worth one try.</summary>
    internal static void SessionWorked(GigyaSession working) => working.Proven = true;

    public void Dispose()
    {
        optionsSubscription?.Dispose();
        gate.Dispose();
    }

    private async Task<T> UnderGateAsync<T>(Func<Task<T>> step, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        var before = state;
        try
        {
            ApplyReconfiguration();
            return await step();
        }
        finally
        {
            Publish(before);
        }
    }

    // Releases the gate before telling listeners, so a listener may read the state or start a step itself.
    private void Publish(RenaultAccountState before)
    {
        var after = state = Compute();
        gate.Release();
        if (after != before)
        {
            StateChanged?.Invoke(after);
        }
    }

    private async Task<GigyaSession> EstablishAsync(CancellationToken cancellationToken) =>
        MayLogIn() ? await PasswordLoginAsync(credentials!, cancellationToken) ?? throw OwnerNeeded() : throw OwnerNeeded();

    private bool MayLogIn() => credentials?.Password is not null && !credentialsRejected && pending is null && halted is null;

    /// <summary>One accounts.login. Null when Renault wants a code (now CodeRequired) or rejected the credentials.</summary>
    private async Task<GigyaSession?> PasswordLoginAsync(Credentials login, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var answer = await CallAsync(ct => gigya.LoginAsync(new GigyaLoginForm(settings.GigyaApiKey, login.Username, login.Password!), Cookies, ct),
            cancellationToken);
        switch (answer.ErrorCode)
        {
            case GigyaErrorCodes.InvalidLoginOrPassword:
                credentialsRejected = true;
                LogCredentialsRejected();
                return null;
            case GigyaErrorCodes.TwoFactorPending or GigyaErrorCodes.TwoFactorRequired when !string.IsNullOrEmpty(answer.RegToken):
                var lifetime = answer.SessionInfo?.ExpiresIn is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : DefaultChallengeLifetime;
                pending = new PendingCode(answer.RegToken, time.GetUtcNow() + lifetime,
                    "Renault asks for a code it e-mails to the owner: request it, then enter it.");
                LogCodeRequired();
                return null;
            case not 0:
                throw Failed(GigyaCalls.Failure(answer, "login"));
        }

        if (string.IsNullOrEmpty(answer.SessionInfo?.CookieValue))
        {
            throw Failed(GatewayException.Unavailable(RenaultProvider.MakerName, "Gigya login returned no session"));
        }

        var loginToken = answer.SessionInfo.CookieValue;
        var account = await CallAsync(ct => gigya.GetAccountInfoAsync(new GigyaSessionForm(settings.GigyaApiKey, loginToken), Cookies, ct),
            cancellationToken);
        if (account.ErrorCode != 0)
        {
            throw Failed(GigyaCalls.Failure(account, "getAccountInfo"));
        }

        if (string.IsNullOrEmpty(account.Data?.PersonId))
        {
            throw Failed(GatewayException.Unavailable(RenaultProvider.MakerName, "the Gigya account has no Kamereon person id"));
        }

        var fresh = new GigyaSession(loginToken, account.Data.PersonId, fromPassword: true);
        SetSession(fresh);
        await SaveAsync(stored with { Username = login.Username, Locale = login.Locale, LoginToken = loginToken, PersonId = fresh.PersonId });
        LogLoggedIn();
        return fresh;
    }

    private async Task<GigyaDevice> DeviceAsync(RenaultOptions settings, CancellationToken cancellationToken)
    {
        if (device is { } known)
        {
            return known;
        }

        GigyaDevice? handedOut = null;
        var answer = await CallAsync(async ct =>
        {
            using var response = await gigya.BootstrapAsync(new GigyaTwoFactorForm(settings.GigyaApiKey), ct);
            if (response.Error is { } error)
            {
                throw error;
            }

            handedOut = response.Headers is { } headers ? ReadDevice(headers) : null;
            return response.Content ?? new GigyaResponse();
        }, cancellationToken);
        if (answer.ErrorCode != 0)
        {
            throw Failed(GigyaCalls.Failure(answer, "webSdkBootstrap"));
        }

        device = handedOut ?? throw Failed(GatewayException.Unavailable(RenaultProvider.MakerName, "Gigya webSdkBootstrap set no gmid/ucid cookies"));
        await SaveAsync(stored with { Gmid = device.Gmid, Ucid = device.Ucid });
        return device;
    }

    private static GigyaDevice? ReadDevice(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues("Set-Cookie", out var cookies))
        {
            return null;
        }

        var values = cookies
            .Select(cookie => cookie.Split(';', 2)[0].Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0].Trim(), pair => Uri.UnescapeDataString(pair[1].Trim()), StringComparer.Ordinal);
        return values.TryGetValue("gmid", out var gmid) && values.TryGetValue("ucid", out var ucid) && gmid.Length > 0 && ucid.Length > 0
            ? new GigyaDevice(gmid, ucid)
            : null;
    }

    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) where T : GigyaResponse
    {
        try
        {
            var answer = await GigyaCalls.SendAsync(call, cancellationToken);
            failure = null;
            return answer;
        }
        catch (GatewayException e)
        {
            throw Failed(e);
        }
    }

    private GatewayException Failed(GatewayException error)
    {
        failure = error.Message;
        return error;
    }

    // Renault refused a step of the code check (most often: its regToken expired). The next request starts afresh.
    private GatewayException ChallengeRefused(PendingCode challenge, GigyaResponse answer, string call)
    {
        challenge.Restart($"Renault refused the code request ({call}, Gigya error {answer.ErrorCode}); request a new code.", keepRegToken: false);
        LogChallengeRefused(call, answer.ErrorCode);
        return answer.ErrorCode == 0
            ? Failed(GatewayException.Unavailable(RenaultProvider.MakerName, $"Gigya {call} answered without the expected token"))
            : Failed(GigyaCalls.Failure(answer, call));
    }

    private RenaultVerification Ended(PendingCode challenge, string reason)
    {
        challenge.Restart(reason, keepRegToken: false);
        LogCodeRequestEnded();
        return new RenaultVerification(RenaultCodeCheck.Expired, Compute());
    }

    private GatewayException OwnerNeeded()
    {
        var now = Compute();
        return now.State switch
        {
            AccountState.CodeRequired => GatewayException.InvalidCredentials(RenaultProvider.MakerName,
                "Renault asks for the code it e-mails to the owner; request it and enter it where the Renault account is set up"),
            AccountState.CredentialsRejected => GatewayException.InvalidCredentials(RenaultProvider.MakerName,
                "the username or password was rejected; fix Renault:Username / Renault:Password or log in again (no further login is tried until then)"),
            AccountState.LoginRequired => GatewayException.InvalidCredentials(RenaultProvider.MakerName, now.Detail!),
            _ => GatewayException.Unavailable(RenaultProvider.MakerName, now.Detail ?? "not connected"),
        };
    }

    private RenaultAccountState Compute()
    {
        var login = credentials is null ? null : Mask(credentials.Username);
        if (credentialsRejected)
        {
            return new(AccountState.CredentialsRejected, "Renault rejected the username or password; nothing is tried again until they change.", login);
        }

        if (pending is not null)
        {
            return new(AccountState.CodeRequired, pending.Detail, login, pending.PhvToken is null ? null : pending.SentTo);
        }

        if (session is not null)
        {
            return new(AccountState.Connected, null, login);
        }

        if (credentials is null)
        {
            return new(AccountState.LoginRequired, "No Renault login yet: log in with the MyRenault e-mail address and password.", null);
        }

        if (halted is not null)
        {
            return new(AccountState.Unavailable, halted, login);
        }

        if (credentials.Password is null)
        {
            return new(AccountState.LoginRequired, "Renault no longer accepts the stored login: log in again with the password.", login);
        }

        return new(AccountState.Unavailable, failure ?? "Not connected yet: the first car read logs in.", login);
    }

    private void SetSession(GigyaSession? replacement)
    {
        session = replacement;
        SessionChanged?.Invoke();
    }

    private async Task SaveAsync(StoredRenaultSession next)
    {
        stored = next;
        await store.SaveAsync(next);
    }

    private void OnOptionsChanged(RenaultOptions changed)
    {
        var fingerprint = Fingerprint(changed);
        if (fingerprint == appliedOptions)
        {
            return;
        }

        appliedOptions = fingerprint;
        Volatile.Write(ref reconfigured, changed);
        SessionChanged?.Invoke();
        // Applied now when no step is running, otherwise as the next step begins.
        if (gate.Wait(0))
        {
            var before = state;
            try
            {
                ApplyReconfiguration();
            }
            finally
            {
                Publish(before);
            }
        }
    }

    private void ApplyReconfiguration()
    {
        if (Interlocked.Exchange(ref reconfigured, null) is not { } changed)
        {
            return;
        }

        var next = ConfiguredCredentials(changed) ?? StoredCredentials();
        var gigyaEndpoint = GigyaEndpoint(changed);
        // The configuration caught up with the login in use (the account list stores a login given at run time):
        // a pending code, a session or a rejection stays as it is.
        if (gigyaEndpoint == appliedGigya && next is not null && credentials is not null && next.SameLogin(credentials))
        {
            return;
        }

        appliedGigya = gigyaEndpoint;
        credentials = next;
        (credentialsRejected, halted, failure, pending) = (false, null, null, null);
        SetSession(StoredSession());
    }

    private Credentials? ConfiguredCredentials(RenaultOptions settings) => string.IsNullOrWhiteSpace(settings.Username)
        ? null
        : new Credentials(settings.Username, string.IsNullOrEmpty(settings.Password) ? null : settings.Password, settings.Locale);

    private Credentials? StoredCredentials() => stored.Username is { Length: > 0 } username
        ? new Credentials(username, null, stored.Locale ?? options.CurrentValue.Locale)
        : null;

    private GigyaSession? StoredSession() =>
        credentials is not null && string.Equals(stored.Username, credentials.Username, StringComparison.OrdinalIgnoreCase)
        && stored is { LoginToken: { Length: > 0 } token, PersonId: { Length: > 0 } personId }
            ? new GigyaSession(token, personId, fromPassword: false)
            : null;

    private static string GigyaEndpoint(RenaultOptions settings) => settings.GigyaUrl + "\n" + settings.GigyaApiKey;

    // Keeps no copy of the password around just to notice that it changed.
    private static string Fingerprint(RenaultOptions settings) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\n', settings.GigyaUrl, settings.GigyaApiKey, settings.Username, settings.Password, settings.Locale))));

    /// <summary>"o***@e***.org", the way Gigya shows an address.</summary>
    internal static string Mask(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == address.Length - 1)
        {
            return "***";
        }

        var domain = address[(at + 1)..];
        var dot = domain.LastIndexOf('.');
        return string.Create(CultureInfo.InvariantCulture, $"{address[0]}***@{domain[0]}***{(dot > 0 ? domain[dot..] : "")}");
    }

    [GeneratedRegex("^[0-9]{6}$")]
    private static partial Regex SixDigits();

    private sealed class Credentials(string username, string? password, string locale)
    {
        public string Username { get; } = username;
        public string? Password { get; } = password;
        public string Locale { get; } = locale;
        public string Language => Locale[..2];

        public bool SameLogin(Credentials other) =>
            string.Equals(Username, other.Username, StringComparison.OrdinalIgnoreCase) && Password == other.Password && Locale == other.Locale;

        public override string ToString() => nameof(Credentials);
    }

    /// <summary>A login Renault holds back until the e-mailed code is checked, and how far the check went.</summary>
    private sealed class PendingCode(string regToken, DateTimeOffset regTokenExpiresAt, string detail)
    {
        public string? RegToken { get; private set; } = regToken;
        public DateTimeOffset RegTokenExpiresAt { get; } = regTokenExpiresAt;
        public string? Assertion { get; private set; }
        public string? EmailId { get; private set; }
        public string? SentTo { get; private set; }
        public string? PhvToken { get; private set; }
        public DateTimeOffset? SentAt { get; private set; }
        public string Detail { get; set; } = detail;

        public void Started(string assertion, string emailId, string sentTo) => (Assertion, EmailId, SentTo) = (assertion, emailId, sentTo);

        public void CodeSent(string phvToken, DateTimeOffset at, string detail) => (PhvToken, SentAt, Detail) = (phvToken, at, detail);

        /// <summary>Back to "request a code": from initTFA with the same regToken, or from a new login.</summary>
        public void Restart(string detail, bool keepRegToken)
        {
            (Assertion, EmailId, PhvToken, SentAt, Detail) = (null, null, null, null, detail);
            if (!keepRegToken)
            {
                RegToken = null;
            }
        }

        public override string ToString() => nameof(PendingCode);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Renault login succeeded")]
    private partial void LogLoggedIn();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renault asks for the code it e-mails to the owner; nothing is sent until the owner requests it")]
    private partial void LogCodeRequired();

    [LoggerMessage(Level = LogLevel.Information, Message = "Renault e-mailed a verification code to {SentTo}")]
    private partial void LogCodeSent(string sentTo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renault did not accept the code entered")]
    private partial void LogWrongCode();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renault refused further codes for this request; a new code has to be requested")]
    private partial void LogTooManyTries();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Renault code request ended; a new code has to be requested")]
    private partial void LogCodeRequestEnded();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renault refused {Call} (Gigya {ErrorCode}); a new code has to be requested")]
    private partial void LogChallengeRefused(string call, int errorCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renault accepted the code and remembers this gateway for 30 days")]
    private partial void LogDeviceRemembered();

    [LoggerMessage(Level = LogLevel.Information, Message = "Renault login token no longer accepted (Gigya {ErrorCode}); logging in again once")]
    private partial void LogLoginTokenRefused(int errorCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Renault refused the login token it had just issued; no further login is tried until the configuration changes")]
    private partial void LogHalted();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renault rejected the username or password; no further login until they change")]
    private partial void LogCredentialsRejected();
}

/// <summary>The Gigya login the JWTs come from. <see cref="Proven"/>: a JWT was issued from it.</summary>
internal sealed class GigyaSession(string loginToken, string personId, bool fromPassword)
{
    private volatile bool proven;

    public string LoginToken { get; } = loginToken;
    public string PersonId { get; } = personId;

    /// <summary>Issued to a password login of this run, not read from the data directory.</summary>
    public bool FromPassword { get; } = fromPassword;

    public bool Proven
    {
        get => proven;
        set => proven = value;
    }

    public override string ToString() => $"GigyaSession {{ PersonId = {PersonId} }}";
}
