using EvGateway.Manufacturers.Psa.Mqtt;
using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;

namespace EvGateway.Manufacturers.Psa.Accounts;

/// <summary>
/// The PSA account on /api/accounts and /setup, read from the adapter's own state (the stored login, the last token
/// refresh, the remote-command pairing), and the owner's steps: the browser login, the SMS + PIN pairing, and the
/// import of psa_car_controller's files. The REST routes (<see cref="PsaAccountsApi"/>) run the same steps.
/// </summary>
internal sealed class PsaMakerAccount(
    PsaTokenProvider tokens,
    PsaTokenStore store,
    PsaRemoteTokenProvider remoteTokens,
    PsaMqttConnection broker,
    PsaAccount account,
    PsaBrowserLogin login,
    PsaRemotePairing pairing,
    PsaccImport import,
    PsaAccountChanges changes) : IMakerAccount
{
    public const string LoginStep = "login";
    public const string AuthorizeStep = "authorize";
    public const string SmsStep = "sms";
    public const string PairStep = "pair";
    public const string ImportStep = "import";

    /// <summary>The code from the pasted address was refused: expired, used already, or from another login attempt.</summary>
    public const string AuthorizationRejectedCode = "authorization_rejected";

    /// <summary>The identity server refused the brand app's client id or secret.</summary>
    public const string ClientRejectedCode = "client_rejected";

    /// <summary>No browser login waits for a code (none started, or started more than 10 minutes ago).</summary>
    public const string LoginNotStartedCode = "login_not_started";

    /// <summary>Pairing needs a connected account first (PSA texts the code to that account's phone).</summary>
    public const string LoginRequiredCode = "login_required";

    private static readonly AccountStep Login = new(LoginStep, "Log in with the brand's account",
        "This opens the brand's own login page: log in there. The app's client id and secret are in psa_car_controller's " +
        "config.json; leave them empty to use those of the last login (or Psa:ClientId and Psa:ClientSecret).",
        [
            new AccountField("brand", "Brand", AccountFieldKind.Choice, [.. Enum.GetNames<PsaBrand>()]),
            new AccountField("country", "Country of the account (two letters: FR, GB, DE...)", AccountFieldKind.Text),
            new AccountField("clientId", "The app's client id", AccountFieldKind.Text, Required: false),
            new AccountField("clientSecret", "The app's client secret", AccountFieldKind.Password, Required: false),
        ], "Open the login page");

    private static readonly AccountStep Authorize = new(AuthorizeStep, "Paste the address the login ended on",
        "After the last step the brand's page sends the browser to an address it cannot open (mymap://, mymacsdk://, " +
        "mymdssdk://, mymopsdk:// or mymvxsdk://oauth2redirect/...?code=...). Copy it from the address bar, or from the " +
        "developer tools (F12, Network, the last request), and paste it here at once: its code lives about a minute.",
        [new AccountField("redirectUrl", "Address (or the code alone)", AccountFieldKind.Url)], "Connect");

    private static readonly AccountStep Sms = new(SmsStep, "Pair remote commands: get a code by SMS",
        "Charge start and stop, climate, horn, lights and locks need this pairing once. PSA texts a code to the phone of the account.",
        [], "Text me the code");

    private static readonly AccountStep Pair = new(PairStep, "Enter the texted code and the app's PIN",
        "The code from PSA's text message and the 4-digit PIN chosen in the brand's app. PSA allows about 20 pairings per " +
        "account, so a refused one is never retried by itself.",
        [new AccountField("smsCode", "Code from the SMS", AccountFieldKind.Code), new AccountField("pin", "The app's PIN", AccountFieldKind.Pin)],
        "Pair");

    private static readonly AccountStep Import = new(ImportStep, "Bring psa_car_controller's files",
        "Stop psa_car_controller first. config.json brings the account, otp.bin its remote-command pairing (no SMS " +
        "needed), charge_config.json the charge control of each car.",
        [
            new AccountField("config", "config.json", AccountFieldKind.File),
            new AccountField("otp", "otp.bin", AccountFieldKind.File, Required: false),
            new AccountField("chargeConfig", "charge_config.json", AccountFieldKind.File, Required: false),
        ], "Import");

    public string Maker => PsaProvider.MakerName;

    public AccountStatus Status
    {
        get
        {
            var remote = remoteTokens.State;
            if (!tokens.HasRefreshToken)
            {
                return new AccountStatus(Maker, AccountState.LoginRequired,
                    "Not configured: log in with the brand's account in the browser (setup page), or import psa_car_controller's files.",
                    Login: null, Configured: false, remote);
            }

            if (store.RefreshTokenRejected)
            {
                return new AccountStatus(Maker, AccountState.LoginRequired,
                    "PSA refused the stored login (its refresh token lapsed or was used by another program): log in again in the browser.",
                    Login: null, Configured: true, remote);
            }

            var health = tokens.Health;
            return health.State == ProviderHealthState.Failing
                ? new AccountStatus(Maker, AccountState.Unavailable, health.Detail, Login: null, Configured: true, remote)
                : new AccountStatus(Maker, AccountState.Connected, RemoteCommandsProblem(), Login: null, Configured: true, remote);
        }
    }

    public IReadOnlyList<AccountStep> Steps
    {
        get
        {
            var steps = new List<AccountStep>();
            var connected = tokens.HasRefreshToken && !store.RefreshTokenRejected;
            if (connected && !remoteTokens.IsPaired)
            {
                steps.AddRange([Sms, Pair]);
            }

            steps.Add(connected ? Login with { Title = "Use another PSA account" }
                : tokens.HasRefreshToken ? Login with { Title = "Log in again with the brand's account" }
                : Login);
            if (login.IsWaitingForCode)
            {
                steps.Add(Authorize);
            }

            steps.Add(Import);
            return steps;
        }
    }

    public async Task<AccountStepResult> RunStepAsync(string step, IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken)
    {
        string? Value(string name) => values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
        return step switch
        {
            LoginStep => StartLogin(Value("brand"), Value("country"), Value("clientId"), Value("clientSecret")),
            AuthorizeStep => await AuthorizeAsync(Value("redirectUrl") ?? "", "redirectUrl", cancellationToken),
            SmsStep => await RequestSmsCodeAsync(cancellationToken),
            PairStep => await PairAsync(Value("smsCode") ?? "", Value("pin") ?? "", cancellationToken),
            ImportStep => await ImportFilesAsync(Value("config"), Value("otp"), Value("chargeConfig"), cancellationToken),
            _ => throw GatewayException.Validation($"step: PSA has no step '{step}'."),
        };
    }

    /// <summary>Starts a browser login; the result's link is the brand's login page.</summary>
    internal AccountStepResult StartLogin(string? brand, string? country, string? clientId, string? clientSecret)
    {
        if (PsaBrandProfile.ParseBrand(brand) is not { } known)
        {
            return Refused($"Must be {PsaBrandProfile.BrandNames}.", ErrorCodes.ValidationFailed, "brand");
        }

        try
        {
            var page = login.Start(known, country, clientId, clientSecret);
            return new AccountStepResult(true,
                "Open the brand's login page and log in; then paste the address it ends on (it starts with the app's name) in the next step.",
                Status, Link: page.ToString());
        }
        catch (GatewayException invalid) when (invalid.Code == ErrorCodes.ValidationFailed)
        {
            // Start names the field first ("country must be ...").
            return Refused(invalid.Message, invalid.Code, invalid.Message.Split(' ')[0]);
        }
    }

    /// <summary>Finishes the browser login with what the owner pasted (<paramref name="field"/> names where it was typed).</summary>
    internal async Task<AccountStepResult> AuthorizeAsync(string pasted, string field, CancellationToken cancellationToken)
    {
        var result = await login.CompleteAsync(pasted, cancellationToken);
        switch (result.Outcome)
        {
            case PsaLoginOutcome.Connected:
                await changes.AccountConnectedAsync(cancellationToken);
                return new AccountStepResult(true, $"{result.Detail} Its cars are served now.", Status);
            case PsaLoginOutcome.Unreadable:
                return Refused(result.Detail, ErrorCodes.ValidationFailed, field);
            case PsaLoginOutcome.NoLoginPending:
                return Refused(result.Detail, LoginNotStartedCode);
            case PsaLoginOutcome.ClientRejected:
                return Refused(result.Detail, ClientRejectedCode, "clientSecret");
            default:
                return Refused(result.Detail, AuthorizationRejectedCode, field);
        }
    }

    internal async Task<AccountStepResult> RequestSmsCodeAsync(CancellationToken cancellationToken)
    {
        if (LogInFirst() is { } refused)
        {
            return refused;
        }

        await pairing.RequestSmsCodeAsync(cancellationToken);
        return new AccountStepResult(true, "PSA is texting a code to the phone of the account: type it below with the app's PIN.", Status);
    }

    /// <summary>Pairs remote commands; a refused code, PIN or account is a result, other failures throw.</summary>
    internal async Task<AccountStepResult> PairAsync(string smsCode, string pin, CancellationToken cancellationToken)
    {
        if (LogInFirst() is { } refused)
        {
            return refused;
        }

        try
        {
            await pairing.PairAsync(smsCode, pin, cancellationToken);
            return new AccountStepResult(true, "Paired: remote commands work now.", Status);
        }
        catch (PsaPairingException rejected) when (rejected.Code == PsaPairingException.PairingRejectedCode)
        {
            return Refused(rejected.Message, rejected.Code, rejected.Failure == PsaPairingFailure.PinRejected ? "pin" : "smsCode");
        }
        catch (GatewayException invalid) when (invalid.Code == ErrorCodes.ValidationFailed)
        {
            return Refused(invalid.Message, invalid.Code, invalid.Message.Contains("PIN", StringComparison.Ordinal) ? "pin" : "smsCode");
        }
    }

    /// <summary>The import step of the page: the files' text as picked (otp.bin as base64).</summary>
    private async Task<AccountStepResult> ImportFilesAsync(string? config, string? otp, string? chargeConfig, CancellationToken cancellationToken)
    {
        if (PsaImportRequest.FromText(config, otp, chargeConfig).ReadFiles(out var problems) is not { } files)
        {
            return Refused(string.Join(" ", problems.Select(p => p.ToString())), ErrorCodes.ValidationFailed, problems[0].Field.Split('.')[0]);
        }

        var report = await import.ImportAsync(files, cancellationToken);
        var words = $"Imported: {string.Join("; ", report.Imported)}."
                    + (report.NotUsed.Count > 0 ? $" Not used: {string.Join("; ", report.NotUsed)}." : "");
        return new AccountStepResult(Status.State == AccountState.Connected, words, Status);
    }

    private AccountStepResult? LogInFirst() => tokens.HasRefreshToken && !store.RefreshTokenRejected
        ? null
        : Refused("Log in with the brand's account first: PSA texts the pairing code to that account's phone.", LoginRequiredCode);

    private AccountStepResult Refused(string message, string code, string? field = null) =>
        new(false, message, Status, Code: code, Field: field);

    private string? RemoteCommandsProblem()
    {
        if (remoteTokens.Problem is { } problem)
        {
            return problem;
        }

        if (remoteTokens.IsPaired && !account.KnowsCustomerId)
        {
            return $"{char.ToUpperInvariant(PsaAccount.CustomerIdUnknown[0])}{PsaAccount.CustomerIdUnknown[1..]}.";
        }

        return remoteTokens.IsPaired ? broker.Problem?.Detail : null;
    }
}
