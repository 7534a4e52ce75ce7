using System.Text;
using System.Text.Json;
using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Vehicles.Accounts;
using FluentValidation;

namespace EvGateway.Manufacturers.Psa.Accounts;

/// <summary>
/// POST /api/accounts/psa/login: the brand and country of the account, and the brand app's client id and secret (both
/// null = those of the stored login of this brand, else Psa:ClientId and Psa:ClientSecret).
/// </summary>
internal sealed record PsaLoginRequest(string? Brand, string? Country, string? ClientId, string? ClientSecret)
{
    public override string ToString() => $"{nameof(PsaLoginRequest)} {{ Brand = {Brand}, Country = {Country} }}";
}

/// <summary>POST /api/accounts/psa/authorize: the address the brand's page ended on, or the bare code from it.</summary>
internal sealed record PsaAuthorizeRequest(string? RedirectUrl, string? Code)
{
    public override string ToString() => nameof(PsaAuthorizeRequest);
}

/// <summary>POST /api/accounts/psa/pairing: the code PSA texted and the 4-digit PIN of the brand app.</summary>
internal sealed record PsaPairingRequest(string? SmsCode, string? Pin)
{
    public override string ToString() => nameof(PsaPairingRequest);
}

/// <summary>POST /api/accounts/psa/import: psa_car_controller's files as they are.</summary>
/// <param name="Config">config.json's content, as JSON or as the file's text in a string.</param>
/// <param name="Otp">otp.bin, base64-encoded; optional.</param>
/// <param name="ChargeConfig">charge_config.json's content, as JSON or as the file's text; optional.</param>
/// <param name="InfoDb">info.db (the trip and charge history), base64-encoded; optional.</param>
/// <param name="ConfigIni">config.ini's text (the electricity prices); optional.</param>
internal sealed record PsaImportRequest(JsonElement? Config, string? Otp, JsonElement? ChargeConfig, string? InfoDb = null,
    string? ConfigIni = null)
{
    /// <summary>The request the setup page's import step makes of the files' text (otp.bin as base64).</summary>
    public static PsaImportRequest FromText(string? config, string? otp, string? chargeConfig) =>
        new(config is null ? null : JsonSerializer.SerializeToElement(config), otp,
            chargeConfig is null ? null : JsonSerializer.SerializeToElement(chargeConfig));

    /// <summary>Reads the files; null with <paramref name="problems"/> when any field cannot be used.</summary>
    public PsaccFiles? ReadFiles(out IReadOnlyList<PsaccProblem> problems)
    {
        if (Config is not { ValueKind: not JsonValueKind.Null } given)
        {
            problems = [new PsaccProblem("config", "Required: the content of psa_car_controller's config.json.")];
            return null;
        }

        byte[]? otpBin = null;
        if (Otp is not null)
        {
            otpBin = new byte[Otp.Length];
            if (!Convert.TryFromBase64String(Otp, otpBin, out var length) || length == 0)
            {
                problems = [new PsaccProblem("otp", "Must be psa_car_controller's otp.bin in base64.")];
                return null;
            }

            otpBin = otpBin[..length];
        }

        if (InfoDb is not null && InfoDbBytes() is null)
        {
            problems = [new PsaccProblem("infoDb", "Must be psa_car_controller's info.db in base64.")];
            return null;
        }

        var found = new List<PsaccProblem>();
        using var configText = ParseText(given, "config", found);
        using var chargeText = ChargeConfig is { ValueKind: not JsonValueKind.Null } charge ? ParseText(charge, "chargeConfig", found) : null;
        if (found.Count > 0)
        {
            problems = found;
            return null;
        }

        return PsaccFiles.Read(configText?.RootElement ?? given, otpBin,
            chargeText?.RootElement ?? (ChargeConfig is { ValueKind: not JsonValueKind.Null } json ? json : null), PsaccSourceNames.Request,
            out problems);
    }

    /// <summary>The files with the history the request carries; info.db is read from a private temporary copy.</summary>
    public PsaccFiles WithHistory(PsaccFiles files)
    {
        if (InfoDbBytes() is not { } infoDb)
        {
            return files.WithHistory(null, ConfigIni);
        }

        var folder = Directory.CreateTempSubdirectory("evgw-psacc-upload-").FullName;
        try
        {
            var path = Path.Combine(folder, PsaccHistory.InfoDbFile);
            File.WriteAllBytes(path, infoDb);
            return files.WithHistory(path, ConfigIni);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public override string ToString() => nameof(PsaImportRequest);

    private byte[]? InfoDbBytes()
    {
        if (InfoDb is null)
        {
            return null;
        }

        var bytes = new byte[InfoDb.Length];
        return Convert.TryFromBase64String(InfoDb, bytes, out var length) && length > 0 ? bytes[..length] : null;
    }

    /// <returns>The JSON a string holds (a file's text), or null when the value is JSON already.</returns>
    private static JsonDocument? ParseText(JsonElement value, string field, List<PsaccProblem> problems) =>
        value.ValueKind == JsonValueKind.String ? PsaccFiles.ParseJson(Encoding.UTF8.GetBytes(value.GetString()!), field, problems) : null;
}

/// <summary>The brand's login page for the owner to open.</summary>
internal sealed record PsaAuthorizeUrl(Uri AuthorizeUrl);

/// <summary>The account after an import (as <c>GET /api/accounts</c> lists it), with what was taken and what was not.</summary>
internal sealed record PsaImportAnswer(
    string Maker,
    AccountState State,
    string? Detail,
    string? Login,
    bool Configured,
    RemoteCommandsState? RemoteCommands,
    IReadOnlyList<string> Imported,
    IReadOnlyList<string> NotUsed,
    IReadOnlyList<string> Vins)
{
    public static PsaImportAnswer From(AccountStatus account, PsaccImportReport report) => new(account.Maker, account.State, account.Detail,
        account.Login, account.Configured, account.RemoteCommands, report.Imported, report.NotUsed, report.Vins);
}

internal sealed class PsaLoginRequestValidator : AbstractValidator<PsaLoginRequest>
{
    public PsaLoginRequestValidator()
    {
        RuleFor(r => r.Brand).Must(b => PsaBrandProfile.ParseBrand(b) is not null)
            .WithMessage($"Must be {PsaBrandProfile.BrandNames}.");
        RuleFor(r => r.Country).Must(PsaOptions.IsCountryCode).WithMessage("Must be a two-letter country code such as FR.");
        RuleFor(r => r.ClientId).NotEmpty().When(r => !string.IsNullOrWhiteSpace(r.ClientSecret))
            .WithMessage("Required with clientSecret: the brand app's client id.").MaximumLength(200);
        RuleFor(r => r.ClientSecret).NotEmpty().When(r => !string.IsNullOrWhiteSpace(r.ClientId))
            .WithMessage("Required with clientId: the brand app's client secret.").MaximumLength(200);
    }
}

internal sealed class PsaAuthorizeRequestValidator : AbstractValidator<PsaAuthorizeRequest>
{
    public PsaAuthorizeRequestValidator()
    {
        RuleFor(r => r.RedirectUrl).NotEmpty().When(r => string.IsNullOrWhiteSpace(r.Code))
            .WithMessage("Give redirectUrl (the whole address the brand's page ended on) or code.");
        RuleFor(r => r.Code).Empty().When(r => !string.IsNullOrWhiteSpace(r.RedirectUrl))
            .WithMessage("Give redirectUrl or code, not both.");
        RuleFor(r => r.RedirectUrl).MaximumLength(4096);
        RuleFor(r => r.Code).MaximumLength(256);
    }
}

internal sealed class PsaPairingRequestValidator : AbstractValidator<PsaPairingRequest>
{
    public PsaPairingRequestValidator()
    {
        RuleFor(r => r.SmsCode).NotEmpty().WithMessage("Required: the code PSA texted to the account's phone.").MaximumLength(32);
        RuleFor(r => r.Pin).Must(p => p is { Length: 4 } && p.All(char.IsAsciiDigit))
            .WithMessage("Must be the 4 digits of the PIN chosen in the brand's app.");
    }
}

internal sealed class PsaImportRequestValidator : AbstractValidator<PsaImportRequest>
{
    public PsaImportRequestValidator()
    {
        RuleFor(r => r).Custom((request, context) =>
        {
            request.ReadFiles(out var problems);
            foreach (var problem in problems)
            {
                context.AddFailure(problem.Field, problem.Reason);
            }
        });
    }
}
