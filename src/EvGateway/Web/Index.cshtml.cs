using EvGateway.Charging;
using EvGateway.Charging.Control;
using EvGateway.Charging.Smart;
using EvGateway.Charging.Tariff;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;
using EvGateway.Vehicles.Budget;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace EvGateway.Web;

/// <summary>
/// The dashboard at /: every car from the status cache (rendering never asks a car's cloud), its controls as plain
/// forms posted back here through the same services as the REST API, and the tariff with each car's planned charge.
/// The page's script only makes it live: it follows /api/events and sends the same commands with fetch.
/// </summary>
public sealed class IndexModel(
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
    ILogger<IndexModel> logger) : PageModel
{
    private static readonly ChargeControlRequestValidator ChargeControlRules = new();
    private readonly IMakerAccount[] accounts = accounts.ToArray();

    /// <summary>Every car as last listed; empty while the list has not been read yet (see <see cref="CarsKnown"/>).</summary>
    public IReadOnlyList<CarCard> Cars { get; private set; } = [];

    /// <summary>False until the gateway has listed the cars once (the warm-up does that right after start).</summary>
    public bool CarsKnown { get; private set; }

    /// <summary>Each account with its call budget as it stands now, as <c>GET /api/accounts</c> lists it.</summary>
    public IReadOnlyList<AccountStatus> Accounts => accounts.Select(account => budgets.WithBudget(account.Status)).ToArray();

    public bool Demo => SetupModel.IsDemo(configuration, Accounts);

    /// <summary>What the last form post did, shown once after the redirect.</summary>
    public CarOutcome? Outcome { get; private set; }

    [TempData]
    public string? LastOutcome { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Outcome = CarOutcome.Read(LastOutcome);
        var known = directory.Known;
        CarsKnown = known is not null;
        var prices = await PricesAsync(cancellationToken);
        Cars = (known ?? []).Select(vehicle => Card(vehicle, prices) with { Outcome = Outcome?.Vin == vehicle.Vin ? Outcome : null }).ToList();
    }

    /// <summary>One car's card alone, for the page's script to swap in after a live event.</summary>
    public async Task<IActionResult> OnGetCardAsync(string vin, CancellationToken cancellationToken)
    {
        if (directory.TryFindCached(vin) is not { } entry)
        {
            return NotFound();
        }

        return Partial("_Car", Card(entry.Vehicle, await PricesAsync(cancellationToken)));
    }

    /// <summary>The accounts line alone, for the page's script to swap in after an account event.</summary>
    public IActionResult OnGetAccounts() => Partial("_Accounts", Accounts);

    public async Task<IActionResult> OnPostCommandAsync(string vin, string command, CancellationToken cancellationToken)
    {
        var button = directory.TryFindCached(vin) is { } entry ? CarCard.ButtonsFor(entry.Vehicle).FirstOrDefault(b => b.Command == command) : null;
        if (button is null)
        {
            return Done(vin, false, "That command is not offered for this car.");
        }

        try
        {
            var outcome = await commands.SendAsync(vin, new VehicleCommand(button.Kind), cancellationToken);
            return Done(vin, outcome.Accepted, $"{button.Label}: {outcome.Detail}");
        }
        catch (GatewayException failure)
        {
            logger.LogInformation("Dashboard command {Command} for {Vin} refused: {Code}", command, vin, failure.Code);
            return Done(vin, false, $"{button.Label}: {failure.Message}");
        }
    }

    public async Task<IActionResult> OnPostChargeControlAsync(string vin, int? percentageThreshold, string? stopAt, CancellationToken cancellationToken)
    {
        var request = new ChargeControlRequest(percentageThreshold, string.IsNullOrWhiteSpace(stopAt) ? null : stopAt);
        var check = ChargeControlRules.Validate(request);
        if (!check.IsValid)
        {
            return Done(vin, false, "Charge control: " + string.Join(" ", check.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")));
        }

        try
        {
            var saved = await chargeControl.SetAsync(vin, _ => request.ToSetting(), cancellationToken);
            return Done(vin, true, "Charge control saved: " + ChargeControlWords(saved));
        }
        catch (GatewayException failure)
        {
            return Done(vin, false, "Charge control: " + failure.Message);
        }
    }

    /// <summary>Reads the car's status now (the one control here that asks its cloud, because the owner pressed it).</summary>
    public async Task<IActionResult> OnPostRefreshAsync(string vin, CancellationToken cancellationToken)
    {
        try
        {
            var entry = await directory.FindAsync(vin, cancellationToken);
            await cache.GetAsync(entry, TimeSpan.Zero, cancellationToken);
            return Done(vin, true, "Status read just now.");
        }
        catch (GatewayException failure)
        {
            return Done(vin, false, "Reading the status: " + failure.Message);
        }
    }

    public static string ChargeControlWords(ChargeControlView view)
    {
        var threshold = view.PercentageThreshold >= 100 ? "no threshold" : $"stops at {view.PercentageThreshold} %";
        return view.StopAt is { } at ? $"{threshold}, and every day at {at}" : threshold;
    }

    private RedirectToPageResult Done(string vin, bool succeeded, string message)
    {
        LastOutcome = new CarOutcome(vin, succeeded, message).Write();
        return RedirectToPage();
    }

    private CarCard Card(Vehicle vehicle, Prices prices) => PricedCard(vehicle, prices) with
    {
        RefreshPolicy = policies.PolicyOf(vehicle.Vin),
        NextRefreshAt = policies.NextRefreshAt(vehicle.Vin, cache.Peek(vehicle.Vin)),
    };

    private CarCard PricedCard(Vehicle vehicle, Prices prices)
    {
        var status = cache.Peek(vehicle.Vin);
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

/// <summary>What a form post on the dashboard did to which car, carried across the redirect in TempData.</summary>
public sealed record CarOutcome(string Vin, bool Succeeded, string Message)
{
    public string Write() => System.Text.Json.JsonSerializer.Serialize(this);

    public static CarOutcome? Read(string? text) => text is null ? null : System.Text.Json.JsonSerializer.Deserialize<CarOutcome>(text);
}
