using System.Globalization;
using EvGateway.Manufacturers.Psa.Mqtt;
using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Vehicles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Psa.Accounts;

/// <summary>
/// Brings an owner's psa_car_controller setup over (the API's import and <c>EvGateway import-psacc</c>): the account
/// with its app and tokens, the remote-command pairing (no new SMS, no activation spent) and the charge-control
/// settings; then tries the account at once and says what it took and what it could not use.
/// </summary>
internal sealed partial class PsaccImport(
    PsaTokenProvider tokens,
    PsaRemoteTokenProvider remoteTokens,
    OtpStateStore otpStates,
    PsaProvider provider,
    PsaCustomerIdReader customerIds,
    PsaAccountChanges changes,
    IEnumerable<IChargeControlImport> chargeControl,
    IEnumerable<IHistoryImport> historyImport,
    IOptions<PsaOptions> options,
    ILogger<PsaccImport> logger)
{
    /// <summary>Stores what <paramref name="files"/> hold, replacing the account the gateway had, and tries it.</summary>
    public async Task<PsaccImportReport> ImportAsync(PsaccFiles files, CancellationToken cancellationToken)
    {
        var imported = new List<string>();
        var notUsed = new List<string>(files.NotUsed);
        var country = files.Country ?? options.Value.Country.ToUpperInvariant();
        imported.Add(files.Country is null
            ? $"config.json: the {files.Brand} account ({country}, from Psa:Country: the file names no country), its app's client id and secret, its refresh token"
            : $"config.json: the {files.Brand} account ({country}), its app's client id and secret, its refresh token");
        if (files.CustomerId is not null)
        {
            imported.Add("config.json: the customer id");
        }

        if (files.RemoteRefreshToken is not null)
        {
            imported.Add("config.json: the remote-command refresh token");
        }

        // Not cancellable from here on: half an import would leave tokens of one account beside the pairing of another.
        if (files.Otp is { } otp)
        {
            await otpStates.SaveAsync(otp with { OtpTimes = await RecentOtpTimesAsync() }, CancellationToken.None);
            imported.Add("otp.bin: the remote-command pairing (one-time passwords without a new SMS code)");
        }

        var login = new PsaStoredLogin(files.Brand, country, files.ClientId, files.ClientSecret, files.CustomerId);
        await tokens.ImportAsync(login, files.RefreshToken, files.RemoteRefreshToken);
        await remoteTokens.ForgetAsync();
        LogImported(logger, files.Brand, files.Otp is not null, files.ChargeControl.Count);

        if (files.ChargeControl.Count > 0)
        {
            if (chargeControl.FirstOrDefault() is { } port)
            {
                await port.ImportAsync(files.ChargeControl, CancellationToken.None);
                imported.Add($"charge_config.json: charge control of {string.Join("; ", files.ChargeControl.Select(PsaccFiles.Describe))}");
            }
            else
            {
                notUsed.Add("charge_config.json (charge control is not part of this gateway)");
            }
        }

        if (files.History is { } history)
        {
            await ImportHistoryAsync(history, imported, notUsed);
        }

        await changes.AccountConnectedAsync(CancellationToken.None);
        var cars = await TryAccountAsync(files, imported, notUsed, cancellationToken);
        return new PsaccImportReport(imported, notUsed, cars);
    }

    private async Task ImportHistoryAsync(ImportedHistory history, List<string> imported, List<string> notUsed)
    {
        if (historyImport.FirstOrDefault() is not { } port)
        {
            notUsed.Add("info.db and config.ini (the history is not part of this gateway)");
            return;
        }

        var added = await port.ImportAsync(history, CancellationToken.None);
        var curve = history.ChargeCurve?.Count ?? 0;
        if (history.Positions.Count + history.Charges.Count + history.BatteryHealth.Count + curve > 0)
        {
            imported.Add(string.Create(CultureInfo.InvariantCulture,
                $"info.db: {added.Positions} of {history.Positions.Count} positions, {added.Charges} of {history.Charges.Count} charging sessions with their price, "
                + $"{added.ChargeCurvePoints} of {curve} charge-curve points, "
                + $"{added.BatteryHealth} of {history.BatteryHealth.Count} battery health readings (the others were already imported)"));
        }

        if (added.Prices)
        {
            imported.Add("config.ini: the electricity prices, as the History settings");
        }
    }

    private async Task<IReadOnlyList<string>> TryAccountAsync(PsaccFiles files, List<string> imported, List<string> notUsed,
        CancellationToken cancellationToken)
    {
        try
        {
            var vehicles = await provider.GetVehiclesAsync(cancellationToken);
            if (files.CustomerId is null && await customerIds.ReadAsync(cancellationToken) is not null)
            {
                imported.Add("PSA: the customer id (config.json names none)");
                changes.CarsChanged();
            }

            return [.. vehicles.Select(v => v.Vin)];
        }
        catch (GatewayException failure) when (failure.Code == ErrorCodes.InvalidCredentials)
        {
            notUsed.Add("config.json: refresh_token (PSA refused it: psa_car_controller may have used it after the copy; "
                        + "stop psa_car_controller before copying its files, or log in again in the browser)");
            return [];
        }
        catch (GatewayException failure)
        {
            notUsed.Add($"the cars could not be listed yet ({failure.Message}); the gateway tries again by itself");
            return [];
        }
    }

    // The daily allowance of one-time passwords is the account's, not the soft token's: a new pairing does not reset it.
    private async Task<IReadOnlyList<DateTimeOffset>> RecentOtpTimesAsync()
    {
        try
        {
            return (await otpStates.LoadAsync(CancellationToken.None))?.OtpTimes ?? [];
        }
        catch (PsaPairingException)
        {
            return [];
        }
    }

    [LoggerMessage(LogLevel.Information,
        "PSA {Brand} account imported from psa_car_controller (pairing: {WithPairing}, charge-control settings: {ChargeControlCount})")]
    private static partial void LogImported(ILogger logger, PsaBrand brand, bool withPairing, int chargeControlCount);
}

/// <summary>What an import took and what it left, in words the owner can act on (never a value of the files).</summary>
/// <param name="Imported">What was taken.</param>
/// <param name="NotUsed">What the files hold that the gateway did not take or could not use, and why.</param>
/// <param name="Vins">The cars PSA lists for the imported account (empty when it could not be reached or refused it).</param>
internal sealed record PsaccImportReport(IReadOnlyList<string> Imported, IReadOnlyList<string> NotUsed, IReadOnlyList<string> Vins);
