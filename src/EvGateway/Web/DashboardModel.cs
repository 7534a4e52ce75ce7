using System.Globalization;
using EvGateway.Charging;
using EvGateway.Charging.Control;
using EvGateway.Charging.Smart;
using EvGateway.Charging.Tariff;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;
using EvGateway.Vehicles.Budget;
using Microsoft.Extensions.Options;

namespace EvGateway.Web;

/// <summary>
/// The dashboard at /: every car from the status cache (rendering never asks a car's cloud), its controls as plain
/// forms posted back here through the same services as the REST API, and the tariff with each car's planned charge.
/// The page's script only makes it live: it follows /api/events and sends the same commands with fetch.
/// </summary>
public sealed class DashboardModel(
    VehicleDirectory directory,
    VehicleStatusCache cache,
    VehicleCommands commands,
    ChargeControlService chargeControl,
    SmartChargeGoals goals,
    TariffClient tariff,
    IOptions<TariffOptions> tariffOptions,
    IOptions<ChargingOptions> chargingOptions,
    IEnumerable<IMakerAccount> accounts,
    CallBudgets budgets,
    RefreshPolicies policies,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<DashboardModel> logger)
{
    private static readonly ChargeControlRequestValidator ChargeControlRules = new();
    private readonly IMakerAccount[] accounts = accounts.ToArray();

    /// <summary>Each account with its call budget as it stands now, as <c>GET /api/accounts</c> lists it.</summary>
    public IReadOnlyList<AccountStatus> Accounts => accounts.Select(account => budgets.WithBudget(account.Status)).ToArray();

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The whole page; <paramref name="outcome"/> is what the last form post did, shown once after its redirect.</summary>
    public async Task<DashboardView> ViewAsync(CarOutcome? outcome, CancellationToken cancellationToken)
    {
        var known = directory.Known;
        var prices = await PricesAsync(cancellationToken);
        var cars = (known ?? []).Select(vehicle => Card(vehicle, prices) with { Outcome = outcome?.Vin == vehicle.Vin ? outcome : null }).ToList();
        var accountList = Accounts;
        return new DashboardView(cars, known is not null, accountList, SetupModel.IsDemo(configuration, accountList), outcome, Now);
    }

    /// <summary>One car's card alone, for the page's script to swap in after a live event; null for a car not listed.</summary>
    public async Task<CarCard?> CardAsync(string? vin, CancellationToken cancellationToken) =>
        vin is not null && directory.TryFindCached(vin) is { } entry ? Card(entry.Vehicle, await PricesAsync(cancellationToken)) : null;

    public async Task<CarOutcome> CommandAsync(string vin, string command, CancellationToken cancellationToken)
    {
        var button = directory.TryFindCached(vin) is { } entry ? CarCard.ButtonsFor(entry.Vehicle).FirstOrDefault(b => b.Command == command) : null;
        if (button is null)
        {
            return new CarOutcome(vin, false, "That command is not offered for this car.");
        }

        try
        {
            var outcome = await commands.SendAsync(vin, new VehicleCommand(button.Kind), cancellationToken);
            return new CarOutcome(vin, outcome.Accepted, $"{button.Label}: {outcome.Detail}");
        }
        catch (GatewayException failure)
        {
            logger.LogInformation("Dashboard command {Command} for {Vin} refused: {Code}", command, vin, failure.Code);
            return new CarOutcome(vin, false, $"{button.Label}: {failure.Message}");
        }
    }

    /// <summary>Saves the car's charge control from the form's words: an empty threshold means none.</summary>
    public async Task<CarOutcome> ChargeControlAsync(string vin, string percentageThreshold, string stopAt, CancellationToken cancellationToken)
    {
        int? threshold = null;
        if (!string.IsNullOrWhiteSpace(percentageThreshold))
        {
            if (!int.TryParse(percentageThreshold, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return new CarOutcome(vin, false, "Charge control: PercentageThreshold: give a whole number from 1 to 100.");
            }

            threshold = value;
        }

        var request = new ChargeControlRequest(threshold, string.IsNullOrWhiteSpace(stopAt) ? null : stopAt);
        var check = ChargeControlRules.Validate(request);
        if (!check.IsValid)
        {
            return new CarOutcome(vin, false, "Charge control: " + string.Join(" ", check.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")));
        }

        try
        {
            var saved = await chargeControl.SetAsync(vin, _ => request.ToSetting(), cancellationToken);
            return new CarOutcome(vin, true, "Charge control saved: " + ChargeControlWords(saved));
        }
        catch (GatewayException failure)
        {
            return new CarOutcome(vin, false, "Charge control: " + failure.Message);
        }
    }

    /// <summary>Reads the car's status now (the one control here that asks its cloud, because the owner pressed it).</summary>
    public async Task<CarOutcome> RefreshAsync(string vin, CancellationToken cancellationToken)
    {
        try
        {
            var entry = await directory.FindAsync(vin, cancellationToken);
            await cache.GetAsync(entry, TimeSpan.Zero, cancellationToken);
            return new CarOutcome(vin, true, "Status read just now.");
        }
        catch (GatewayException failure)
        {
            return new CarOutcome(vin, false, "Reading the status: " + failure.Message);
        }
    }

    public static string ChargeControlWords(ChargeControlView view)
    {
        var threshold = view.PercentageThreshold >= 100 ? "no threshold" : $"stops at {view.PercentageThreshold} %";
        return view.StopAt is { } at ? $"{threshold}, and every day at {at}" : threshold;
    }

    // The status is looked up once: the card's data and its next refresh describe the same reading.
    private CarCard Card(Vehicle vehicle, Prices prices)
    {
        var status = cache.Peek(vehicle.Vin);
        return PricedCard(vehicle, status, prices) with
        {
            RefreshPolicy = policies.PolicyOf(vehicle.Vin),
            NextRefreshAt = policies.NextRefreshAt(vehicle.Vin, status),
        };
    }

    private CarCard PricedCard(Vehicle vehicle, VehicleStatus? status, Prices prices)
    {
        var now = time.GetUtcNow();
        if (!vehicle.IsElectric)
        {
            return new CarCard(vehicle, status, chargeControl.Current(vehicle.Vin), null, null, now);
        }

        var planned = goals.Find(vehicle.Vin) is { ReadyBy: var readyBy, Slots: { } slots } && readyBy > now ? slots : [];
        var chart = prices.Slots is { } known
            ? PriceChart.Build(known, planned, now, chargingOptions.Value.ResolveTimeZone(), tariffOptions.Value.Unit)
            : null;
        var sentence = prices.Problem ?? (chart is null
            ? "The price feed has no prices for the next hours."
            : planned.Count == 0 ? "No smart charge is planned for this car." : null);
        return new CarCard(vehicle, status, chargeControl.Current(vehicle.Vin), chart, sentence, now);
    }

    private async Task<Prices> PricesAsync(CancellationToken cancellationToken)
    {
        if (!tariffOptions.Value.IsConfigured)
        {
            return new Prices(null, "No tariff is configured (Tariff:Url), so there is no price chart and no smart charging.");
        }

        try
        {
            return new Prices(await tariff.GetPricesAsync(cancellationToken), null);
        }
        catch (GatewayException failure)
        {
            return new Prices(null, $"The price feed could not be read: {failure.Message}");
        }
    }

    private sealed record Prices(IReadOnlyList<PriceSlot>? Slots, string? Problem);
}

/// <summary>Everything the dashboard shows: the cars (empty until they were listed once), the accounts, and the last outcome.</summary>
public sealed record DashboardView(IReadOnlyList<CarCard> Cars, bool CarsKnown, IReadOnlyList<AccountStatus> Accounts, bool Demo,
    CarOutcome? Outcome, DateTimeOffset Now);

/// <summary>What a form post on the dashboard did to which car, shown once after the redirect (see <see cref="PageOutcomes"/>).</summary>
public sealed record CarOutcome(string Vin, bool Succeeded, string Message);
