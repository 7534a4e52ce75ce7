using System.Globalization;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Psa;

/// <summary>The `Psa:*` settings (design.md's configuration contract; the names are fixed).</summary>
public sealed class PsaOptions
{
    public const string SectionName = "Psa";

    public PsaBrand Brand { get; set; } = PsaBrand.Peugeot;
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";

    /// <summary>The seed refresh token; once rotated, the token in the data directory wins (see PsaTokenStore).</summary>
    public string RefreshToken { get; set; } = "";

    /// <summary>"AP-ACNT..." or the bare account id, which gets the brand's prefix.</summary>
    public string CustomerId { get; set; } = "";

    /// <summary>Empty = the brand's identity server.</summary>
    public string? TokenUrl { get; set; }

    public string ApiUrl { get; set; } = "https://api.groupe-psa.com/connectedcar/v4";

    /// <summary>Empty = {ApiUrl}/virtualkey/remoteaccess/token.</summary>
    public string? RemoteTokenUrl { get; set; }

    /// <summary>Where PSA is asked to text the pairing code (remote-command pairing).</summary>
    public string SmsCodeUrl { get; set; } = Pairing.PsaSmsCodeClient.DefaultSmsCodeUrl;

    /// <summary>The inWebo server that pairs the soft token and makes one-time passwords.</summary>
    public string OtpUrl { get; set; } = Pairing.InWeboClient.DefaultOtpUrl;

    public PsaMqttOptions Mqtt { get; set; } = new();

    /// <summary>Remote-command refresh token from the SMS + PIN pairing; empty = read-only (no command capabilities).</summary>
    public string? RemoteRefreshToken { get; set; }

    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>"HH:mm": where charging is pushed to when it is stopped and the car's own delayed hour is unknown.</summary>
    public string DefaultDelayedChargeStart { get; set; } = "22:30";

    /// <summary>True when an account is named; without one the adapter serves no cars.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(RefreshToken);

    public bool RemoteCommandsConfigured => IsConfigured && !string.IsNullOrWhiteSpace(RemoteRefreshToken);

    public string Realm => Brand switch
    {
        PsaBrand.Peugeot => "clientsB2CPeugeot",
        PsaBrand.Citroen => "clientsB2CCitroen",
        PsaBrand.DS => "clientsB2CDS",
        PsaBrand.Opel => "clientsB2COpel",
        PsaBrand.Vauxhall => "clientsB2CVauxhall",
        _ => throw new ArgumentOutOfRangeException(nameof(Brand), Brand, null),
    };

    public Uri EffectiveTokenUrl => new(string.IsNullOrWhiteSpace(TokenUrl) ? DefaultTokenUrl(Brand) : TokenUrl);

    public Uri EffectiveRemoteTokenUrl => new(string.IsNullOrWhiteSpace(RemoteTokenUrl)
        ? $"{ApiUrl.TrimEnd('/')}/virtualkey/remoteaccess/token"
        : RemoteTokenUrl);

    /// <summary>The customer id the MQTT topics and envelopes carry: brand prefix + account id.</summary>
    public string FullCustomerId
    {
        get
        {
            var id = CustomerId.Trim();
            return id.Length > 3 && id[2] == '-' ? id : $"{CustomerPrefix(Brand)}{id}";
        }
    }

    public TimeSpan CommandTimeout => TimeSpan.FromSeconds(CommandTimeoutSeconds);

    public TimeOnly DefaultDelayedStart => TimeOnly.ParseExact(DefaultDelayedChargeStart, "HH:mm", CultureInfo.InvariantCulture);

    private static string DefaultTokenUrl(PsaBrand brand) => brand switch
    {
        PsaBrand.Peugeot => "https://idpcvs.peugeot.com/am/oauth2/access_token",
        PsaBrand.Citroen => "https://idpcvs.citroen.com/am/oauth2/access_token",
        PsaBrand.DS => "https://idpcvs.driveds.com/am/oauth2/access_token",
        PsaBrand.Opel => "https://idpcvs.opel.com/am/oauth2/access_token",
        PsaBrand.Vauxhall => "https://idpcvs.vauxhall.co.uk/am/oauth2/access_token",
        _ => throw new ArgumentOutOfRangeException(nameof(brand), brand, null),
    };

    private static string CustomerPrefix(PsaBrand brand) => brand switch
    {
        PsaBrand.Peugeot => "AP-",
        PsaBrand.Citroen or PsaBrand.DS => "AC-",
        _ => "OV-",
    };
}

public sealed class PsaMqttOptions
{
    public string Host { get; set; } = "mwa.mpsa.com";
    public int Port { get; set; } = 8885;
    public bool UseTls { get; set; } = true;
}

public enum PsaBrand
{
    Peugeot,
    Citroen,
    DS,
    Opel,
    Vauxhall,
}

/// <summary>Fails start-up with one line that names the bad key (never its value: most of them are secrets).</summary>
internal sealed class PsaOptionsValidator : IValidateOptions<PsaOptions>
{
    public ValidateOptionsResult Validate(string? name, PsaOptions options)
    {
        var failures = new List<string>();
        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        Require(string.IsNullOrWhiteSpace(options.ClientId), "Psa:ClientId is required.");
        Require(string.IsNullOrWhiteSpace(options.ClientSecret), "Psa:ClientSecret is required.");
        Require(string.IsNullOrWhiteSpace(options.RefreshToken), "Psa:RefreshToken is required.");
        Require(!Enum.IsDefined(options.Brand), "Psa:Brand must be Peugeot, Citroen, DS, Opel or Vauxhall.");
        Require(!IsAbsoluteHttpUrl(options.ApiUrl), "Psa:ApiUrl must be an absolute http(s) URL.");
        Require(!string.IsNullOrWhiteSpace(options.TokenUrl) && !IsAbsoluteHttpUrl(options.TokenUrl),
            "Psa:TokenUrl must be an absolute http(s) URL.");
        Require(!string.IsNullOrWhiteSpace(options.RemoteTokenUrl) && !IsAbsoluteHttpUrl(options.RemoteTokenUrl),
            "Psa:RemoteTokenUrl must be an absolute http(s) URL.");
        Require(!IsAbsoluteHttpUrl(options.SmsCodeUrl), "Psa:SmsCodeUrl must be an absolute http(s) URL.");
        Require(!IsAbsoluteHttpUrl(options.OtpUrl), "Psa:OtpUrl must be an absolute http(s) URL.");
        Require(options.CommandTimeoutSeconds is < 1 or > 600, "Psa:CommandTimeoutSeconds must be between 1 and 600.");
        Require(!TimeOnly.TryParseExact(options.DefaultDelayedChargeStart, "HH:mm", CultureInfo.InvariantCulture,
            DateTimeStyles.None, out _), "Psa:DefaultDelayedChargeStart must be a time of day \"HH:mm\".");
        if (options.RemoteCommandsConfigured)
        {
            Require(string.IsNullOrWhiteSpace(options.CustomerId), "Psa:CustomerId is required for remote commands.");
            Require(string.IsNullOrWhiteSpace(options.Mqtt.Host), "Psa:Mqtt:Host is required for remote commands.");
            Require(options.Mqtt.Port is < 1 or > 65535, "Psa:Mqtt:Port must be between 1 and 65535.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Require(bool failed, string message)
        {
            if (failed)
            {
                failures.Add(message);
            }
        }
    }

    private static bool IsAbsoluteHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
