using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Renault;

/// <summary>The `Renault:*` settings (design.md's configuration contract; the names are fixed).</summary>
public sealed class RenaultOptions
{
    public const string SectionName = "Renault";

    /// <summary>The MyRenault / MyDacia / MyAlpine login (an e-mail address). Empty = Renault not configured.</summary>
    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>language_COUNTRY as the MyRenault app uses it; the country part is sent on every Kamereon call.</summary>
    public string Locale { get; set; } = "fr_FR";

    /// <summary>Only this Kamereon account; empty = every MyRenault, MyDacia and MyAlpine account of the person.</summary>
    public string? AccountId { get; set; }

    public string GigyaUrl { get; set; } = "https://accounts.eu1.gigya.com";

    /// <summary>Public key shipped in the MyRenault app; configurable because Renault rotates it.</summary>
    public string GigyaApiKey { get; set; } = "3_VgdkgtIRH3AdHvJm-cjV2ug2EFE0lxt0IJzMC4MFqZjFpn_GYFXVdNZ19L7wZX0N";

    public string KamereonUrl { get; set; } = "https://api-wired-prod-1-euw1.wrd-aws.com";

    /// <summary>Public key shipped in the MyRenault app; configurable because Renault rotates it.</summary>
    public string KamereonApiKey { get; set; } = "YjkKtHmGfaceeuExUDKGxrLZGGvtVS0J";

    /// <summary>How long one attempt of one cloud call may take.</summary>
    public int RequestTimeoutSeconds { get; set; } = 10;

    /// <summary>After a quota answer (429) no call goes to that account for this long.</summary>
    public int QuotaCooldownMinutes { get; set; } = 15;

    /// <summary>
    /// Kamereon calls the gateway may make per rolling hour. Renault allows about 60 per account and the MyRenault app
    /// shares them; lower it to leave the app more.
    /// </summary>
    public int CallBudgetPerHour { get; set; } = 60;

    /// <summary>Pause before retrying a failed read; the real cloud recovers within seconds.</summary>
    public int RetryDelayMilliseconds { get; set; } = 1000;

    internal string Country => Locale[^2..];

    internal TimeSpan RequestTimeout => TimeSpan.FromSeconds(RequestTimeoutSeconds);

    internal TimeSpan QuotaCooldown => TimeSpan.FromMinutes(QuotaCooldownMinutes);

    /// <summary>True when an account is named; without one the adapter serves no cars.</summary>
    internal bool IsConfigured => !string.IsNullOrWhiteSpace(Username);
}

/// <summary>Checks the settings at start-up so a typo fails with one line naming the key, not at the first car read.</summary>
internal sealed partial class RenaultOptionsValidator : IValidateOptions<RenaultOptions>
{
    public ValidateOptionsResult Validate(string? name, RenaultOptions options)
    {
        var failures = new List<string>();
        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.Password))
        {
            failures.Add("Renault:Password is required when Renault:Username is set.");
        }

        if (!IsLocale(options.Locale ?? ""))
        {
            failures.Add($"Renault:Locale must look like fr_FR (language_COUNTRY), got '{options.Locale}'.");
        }

        RequireAbsoluteUrl(failures, "Renault:GigyaUrl", options.GigyaUrl);
        RequireAbsoluteUrl(failures, "Renault:KamereonUrl", options.KamereonUrl);
        if (string.IsNullOrWhiteSpace(options.GigyaApiKey))
        {
            failures.Add("Renault:GigyaApiKey must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.KamereonApiKey))
        {
            failures.Add("Renault:KamereonApiKey must not be empty.");
        }

        if (options.RequestTimeoutSeconds is < 1 or > 120)
        {
            failures.Add($"Renault:RequestTimeoutSeconds must be between 1 and 120, got {options.RequestTimeoutSeconds}.");
        }

        if (options.QuotaCooldownMinutes is < 1 or > 1440)
        {
            failures.Add($"Renault:QuotaCooldownMinutes must be between 1 and 1440, got {options.QuotaCooldownMinutes}.");
        }

        if (options.CallBudgetPerHour is < 1 or > 10000)
        {
            failures.Add($"Renault:CallBudgetPerHour must be between 1 and 10000, got {options.CallBudgetPerHour}.");
        }

        if (options.RetryDelayMilliseconds is < 0 or > 60000)
        {
            failures.Add($"Renault:RetryDelayMilliseconds must be between 0 and 60000, got {options.RetryDelayMilliseconds}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequireAbsoluteUrl(List<string> failures, string key, string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{key} must be an absolute http(s) URL, got '{value}'.");
        }
    }

    internal static bool IsLocale(string locale) => LocalePattern().IsMatch(locale);

    [GeneratedRegex("^[a-z]{2}_[A-Z]{2}$")]
    private static partial Regex LocalePattern();
}
