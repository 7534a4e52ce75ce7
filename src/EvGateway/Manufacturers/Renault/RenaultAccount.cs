using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace EvGateway.Manufacturers.Renault;

/// <summary>
/// The Renault account on /api/accounts and /setup: the password login, and the code Renault e-mails when it asks for
/// one. A login given here is kept like a setting (accounts.json, 0600), so it counts as configured at once and after
/// a restart, where the stored login token spares the password and the code.
/// </summary>
internal sealed class RenaultAccount(RenaultLoginFlow flow, IAccountSettingsStore settings, VehicleDirectory directory) : IMakerAccount
{
    public const string LoginStep = "login";
    public const string CodeStep = "code";
    public const string VerifyStep = "verify";

    private static readonly string[] Locales = ["fr_FR", "en_GB", "de_DE", "es_ES", "it_IT", "nl_NL", "pt_PT", "nl_BE", "fr_BE", "de_AT",
        "de_CH", "fr_CH", "en_IE", "pl_PL", "sv_SE", "da_DK", "nb_NO", "fi_FI", "cs_CZ", "sk_SK", "hu_HU", "ro_RO", "sl_SI", "hr_HR"];

    private static readonly AccountStep Login = new(LoginStep, "Log in with your MyRenault account",
        "The e-mail address and password of the MyRenault, MyDacia or MyAlpine app. If Renault asks for a code, you will " +
        "be offered to have it e-mailed to you.",
        [
            new AccountField("username", "E-mail address", AccountFieldKind.Email),
            new AccountField("password", "Password", AccountFieldKind.Password),
            new AccountField("locale", "Country of the account", AccountFieldKind.Choice, Locales),
        ], "Log in");

    private static readonly AccountStep SwitchAccount = Login with { Title = "Use another MyRenault account", Help = null };

    private static readonly AccountStep SendCode = new(CodeStep, "Get the code by e-mail",
        "Renault wants to confirm this login with a 6-digit code. Nothing is sent until you ask here.", [], "E-mail me the code");

    private static readonly AccountStep SendAnother = SendCode with
    {
        Title = "No e-mail?",
        Help = "Ask for a new code after a minute.",
        Submit = "Send a new code"
    };

    private static readonly AccountStep Verify = new(VerifyStep, "Enter the code",
        "The 6 digits from Renault's e-mail. A wrong code can be typed again; the gateway then remembers this device for 30 days.",
        [new AccountField("code", "Code", AccountFieldKind.Code)], "Confirm");

    public string Maker => RenaultProvider.MakerName;

    public AccountStatus Status => StatusOf(flow.State);

    public IReadOnlyList<AccountStep> Steps => flow.State switch
    {
        { State: AccountState.CodeRequired, CodeSentTo: null } => [SendCode, Login],
        { State: AccountState.CodeRequired } => [Verify, SendAnother],
        { State: AccountState.Connected } => [SwitchAccount],
        _ => [Login],
    };

    public async Task<AccountStepResult> RunStepAsync(string step, IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken)
    {
        string Value(string name) => values.TryGetValue(name, out var value) ? value ?? "" : "";
        switch (step)
        {
            case LoginStep:
                return await LogInAsync(Value("username"), Value("password"), Value("locale"), cancellationToken);
            case CodeStep:
                var sent = await flow.RequestCodeAsync(cancellationToken);
                return new AccountStepResult(true, $"A code is on its way to {sent.SentTo}; type it below.", Status);
            case VerifyStep:
                var verification = await flow.VerifyAsync(Value("code"), cancellationToken);
                return await VerifiedAsync(verification);
            default:
                throw GatewayException.Validation($"step: Renault has no step '{step}'.");
        }
    }

    public static void MapRoutes(RouteGroupBuilder account)
    {
        account.MapPost("/login", PostLogin).Validate<RenaultLoginRequest>().WithName("RenaultLogin")
            .WithSummary("Log in to the MyRenault account: connected, or code_required when Renault e-mails a code (sent only on request)");
        account.MapPost("/code", PostCode).WithName("RenaultSendCode")
            .WithSummary("E-mail the code Renault asks for; again only after a minute (409 with Retry-After), 409 when no code is pending");
        account.MapPost("/verify", PostVerify).Validate<RenaultVerifyRequest>().WithName("RenaultVerify")
            .WithSummary("Finish the login with the e-mailed code; a wrong code is 400 verification_code_rejected and may be typed again");
    }

    private async Task<AccountStepResult> LogInAsync(string username, string password, string locale, CancellationToken cancellationToken)
    {
        locale = string.IsNullOrEmpty(locale) ? Locales[0] : locale;
        var state = await flow.LoginAsync(username, password, locale, cancellationToken);
        if (state.State == AccountState.CredentialsRejected)
        {
            return new AccountStepResult(false, state.Detail ?? "Renault refused the e-mail address or password.", StatusOf(state),
                Code: "credentials_rejected", Field: "password");
        }

        // Kept like a setting: the account counts as configured (demo mode ends) and survives a restart. The stored login
        // token spares the password; it is kept for the one fresh login Renault may ask for when it refuses that token.
        await settings.SaveAsync(RenaultOptions.SectionName, new Dictionary<string, string?>
        {
            [nameof(RenaultOptions.Username)] = username.Trim(),
            [nameof(RenaultOptions.Password)] = password,
            [nameof(RenaultOptions.Locale)] = locale,
        }, cancellationToken);
        directory.Invalidate();
        return state.State == AccountState.Connected
            ? new AccountStepResult(true, "Connected: your cars are served now.", StatusOf(state))
            : new AccountStepResult(true, state.Detail ?? "Renault asks for a code it e-mails you; ask for it below.", StatusOf(state));
    }

    private Task<AccountStepResult> VerifiedAsync(RenaultVerification verification)
    {
        var status = StatusOf(verification.Account);
        AccountStepResult result = verification.Check switch
        {
            RenaultCodeCheck.Accepted => new(true, "Code accepted: connected, and this device is remembered for 30 days.", status),
            RenaultCodeCheck.Rejected => new(false, "That code is not the one Renault sent; type it again.", status,
                Code: "verification_code_rejected", Field: "code"),
            _ => new(false, verification.Account.Detail ?? "The code request ended; ask for a new code.", status,
                Code: "verification_code_rejected", Field: "code"),
        };
        if (verification.Check == RenaultCodeCheck.Accepted)
        {
            directory.Invalidate();
        }

        return Task.FromResult(result);
    }

    private AccountStatus StatusOf(RenaultAccountState state) => new(Maker, state.State, state.Detail, state.Login, flow.HasAccount);

    private static async Task<Results<Ok<AccountStatus>, ProblemHttpResult>> PostLogin(RenaultLoginRequest request, RenaultAccount account,
        CancellationToken cancellationToken)
    {
        var result = await account.LogInAsync(request.Username!, request.Password!, request.Locale ?? "", cancellationToken);
        return result.Succeeded ? TypedResults.Ok(result.Status) : Refused(result, StatusCodes.Status401Unauthorized);
    }

    private static async Task<Accepted<RenaultCodeAnswer>> PostCode(RenaultLoginFlow flow, CancellationToken cancellationToken)
    {
        var sent = await flow.RequestCodeAsync(cancellationToken);
        return TypedResults.Accepted((string?)null, new RenaultCodeAnswer(sent.SentTo, sent.ResendAllowedAt));
    }

    private static async Task<Results<Ok<AccountStatus>, ProblemHttpResult>> PostVerify(RenaultVerifyRequest request, RenaultAccount account,
        RenaultLoginFlow flow, CancellationToken cancellationToken)
    {
        var result = await account.VerifiedAsync(await flow.VerifyAsync(request.Code!, cancellationToken));
        return result.Succeeded ? TypedResults.Ok(result.Status) : Refused(result, StatusCodes.Status400BadRequest);
    }

    private static ProblemHttpResult Refused(AccountStepResult result, int status) => TypedResults.Problem(
        detail: result.Message,
        statusCode: status,
        title: status == StatusCodes.Status401Unauthorized ? "Renault refused the login" : "Renault refused the code",
        extensions: new Dictionary<string, object?> { ["code"] = result.Code, ["field"] = result.Field, ["account"] = result.Status });
}

/// <summary>A MyRenault login given at run time.</summary>
/// <param name="Username">The account's e-mail address.</param>
/// <param name="Password">Its password; kept 0600 in the data directory, never shown.</param>
/// <param name="Locale">The account's country as language_COUNTRY (fr_FR, en_GB, ...); fr_FR when left out.</param>
public sealed record RenaultLoginRequest(string? Username, string? Password, string? Locale);

/// <param name="Code">The 6 digits of Renault's e-mail.</param>
public sealed record RenaultVerifyRequest(string? Code);

/// <summary>Where the code went (masked) and when another may be asked for.</summary>
public sealed record RenaultCodeAnswer(string SentTo, DateTimeOffset ResendAllowedAt);

internal sealed class RenaultLoginRequestValidator : AbstractValidator<RenaultLoginRequest>
{
    public RenaultLoginRequestValidator()
    {
        RuleFor(r => r.Username).NotEmpty().WithMessage("Must be the e-mail address of the MyRenault account.")
            .Must(u => u is null || u.Contains('@', StringComparison.Ordinal)).WithMessage("Must be an e-mail address.");
        RuleFor(r => r.Password).NotEmpty().WithMessage("Must not be empty.");
        RuleFor(r => r.Locale).Must(l => l is null || RenaultOptionsValidator.IsLocale(l))
            .WithMessage("Must look like fr_FR (language_COUNTRY), or be left out.");
    }
}

internal sealed class RenaultVerifyRequestValidator : AbstractValidator<RenaultVerifyRequest>
{
    public RenaultVerifyRequestValidator()
    {
        RuleFor(r => r.Code).NotEmpty().Matches("^[0-9]{6}$").WithMessage("Must be the 6 digits of Renault's e-mail.");
    }
}
