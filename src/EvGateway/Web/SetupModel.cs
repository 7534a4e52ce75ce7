using System.Globalization;
using System.Text;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;

namespace EvGateway.Web;

/// <summary>
/// /setup: every maker account in words and the steps its owner can take now, as plain forms posted back here. Each
/// post runs one step through the maker's account port and redirects back (so a reload never sends a code twice);
/// what happened is shown once. Secrets typed here are never echoed.
/// </summary>
public sealed class SetupModel(IEnumerable<IMakerAccount> accounts, IEnumerable<IMakerAccountSource> sources, IConfiguration configuration,
    ILogger<SetupModel> logger)
{
    private const int MaxFileBytes = 256 * 1024;

    /// <summary>The owner's own accounts.</summary>
    private readonly IReadOnlyList<IMakerAccount> accounts = accounts.ToArray();

    /// <summary>Other accounts offered to try the steps on (demo mode's), with their heading; empty when there are none.</summary>
    private IReadOnlyList<IMakerAccountSource> Sources => sources.Where(source => source.Accounts.Count > 0).ToArray();

    /// <summary>Demo mode as the pages tell it: Gateway:Demo when set, else while no account of the owner is configured.</summary>
    public static bool IsDemo(IConfiguration configuration, IEnumerable<AccountStatus> accounts) =>
        configuration.GetValue<bool?>("Gateway:Demo") ?? accounts.All(account => !account.Configured);

    /// <summary>The page; <paramref name="outcome"/> is the result of the step just run, shown once after its redirect.</summary>
    public SetupView View(StepOutcome? outcome) =>
        new(accounts, Sources, IsDemo(configuration, accounts.Select(account => account.Status)), outcome);

    /// <summary>Runs the step the form names on the account it names, with the form's fields (files read as text or base64).</summary>
    public async Task<StepOutcome> RunStepAsync(IFormCollection form, CancellationToken cancellationToken)
    {
        var maker = form["maker"].ToString();
        var step = form["step"].ToString();
        int? source = int.TryParse(form["source"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) ? index : null;
        var offered = Sources;
        var candidates = source is { } i ? i >= 0 && i < offered.Count ? offered[i].Accounts : [] : accounts;
        var account = candidates.FirstOrDefault(a => string.Equals(a.Maker, maker, StringComparison.OrdinalIgnoreCase));
        var known = account?.Steps.FirstOrDefault(s => s.Name == step);
        if (account is null || known is null)
        {
            return new StepOutcome(maker.Length > 0 ? maker : "?", source, false, "That step is not available now; the page shows what is.", null, []);
        }

        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var field in known.Fields)
        {
            values[field.Name] = field.Kind == AccountFieldKind.File ? await ReadFileAsync(form, field.Name, cancellationToken) : form[field.Name].ToString();
        }

        var kept = known.Fields.Where(f => !f.IsSecret && f.Kind != AccountFieldKind.File)
            .ToDictionary(f => f.Name, f => values[f.Name] ?? "");
        try
        {
            var result = await account.RunStepAsync(known.Name, values, cancellationToken);
            return new StepOutcome(account.Maker, source, result.Succeeded, result.Message, result.Link, kept);
        }
        catch (GatewayException failure)
        {
            logger.LogWarning("Setup step {Maker}/{Step} failed: {Code}", account.Maker, known.Name, failure.Code);
            return new StepOutcome(account.Maker, source, false, failure.Message, null, kept);
        }
    }

    public static string MakerTitle(string maker) => maker switch
    {
        "Renault" => "Renault · Dacia · Alpine",
        "Psa" => "Peugeot · Citroën · DS · Opel · Vauxhall",
        _ => maker,
    };

    public static string StateName(AccountState state) => AccountStateNames.Of(state);

    public static string StateWords(AccountStatus status) => status.State switch
    {
        AccountState.Connected => "Connected",
        AccountState.CodeRequired => "Waiting for the code the maker e-mails you",
        AccountState.LoginRequired when !status.Configured => "Not connected",
        AccountState.LoginRequired => "Log in again",
        AccountState.CredentialsRejected => "The maker refused the login",
        _ => "The maker's cloud cannot be reached right now",
    };

    public static string InputType(AccountFieldKind kind) => kind switch
    {
        AccountFieldKind.Email => "email",
        AccountFieldKind.Password or AccountFieldKind.Pin => "password",
        AccountFieldKind.Url => "url",
        _ => "text",
    };

    public static string? InputMode(AccountFieldKind kind) => kind is AccountFieldKind.Code or AccountFieldKind.Pin ? "numeric" : null;

    public static string Autocomplete(AccountField field) => field.Kind switch
    {
        AccountFieldKind.Email => "username",
        AccountFieldKind.Password => "current-password",
        AccountFieldKind.Code => "one-time-code",
        _ => "off",
    };

    // A JSON file is passed as its text; anything else as base64 of its bytes.
    private static async Task<string?> ReadFileAsync(IFormCollection form, string name, CancellationToken cancellationToken)
    {
        var file = form.Files.GetFile(name);
        if (file is null || file.Length == 0 || file.Length > MaxFileBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        return file.FileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetString(bytes) : Convert.ToBase64String(bytes);
    }
}

/// <summary>What /setup shows: the owner's accounts, the accounts offered to try (demo mode's), and the last step's outcome.</summary>
public sealed record SetupView(IReadOnlyList<IMakerAccount> Accounts, IReadOnlyList<IMakerAccountSource> Sources, bool Demo, StepOutcome? Outcome)
{
    /// <summary>A non-secret value the owner typed in the last step of this account (a login name), to fill in again.</summary>
    public string? Kept(string maker, int? source, string field) =>
        Outcome is { } outcome && outcome.Maker == maker && outcome.Source == source && outcome.Kept.TryGetValue(field, out var value)
            ? value
            : null;
}

/// <summary>What one step did, shown once after the redirect (see <see cref="PageOutcomes"/>); no secret is ever part of it.</summary>
public sealed record StepOutcome(string Maker, int? Source, bool Succeeded, string Message, string? Link, Dictionary<string, string> Kept);

/// <summary>One account section of the page: the account, which source it came from (null = the owner's own), and the values kept.</summary>
public sealed record AccountView(IMakerAccount Account, int? Source, Func<string, string?> Kept);
