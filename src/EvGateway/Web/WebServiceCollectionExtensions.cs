using System.Reflection;

namespace EvGateway.Web;

public static class WebServiceCollectionExtensions
{
    /// <summary>The server-rendered pages (Razor components under Web/): the dashboard at /, /setup and /history/{vin}.</summary>
    public static IServiceCollection AddWeb(this IServiceCollection services)
    {
        services.AddSingleton<PageOutcomes>();
        services.AddScoped<DashboardModel>();
        services.AddScoped<SetupModel>();
        services.AddScoped<HistoryModel>();
        return services;
    }

    public static WebApplication MapWeb(this WebApplication app)
    {
        // Forms post back to their page, and each post redirects to it (a reload never sends it twice). Their protection
        // against other sites is the cross-site guard every write passes (Hosting/CrossOriginGuard), not a form token.
        var pages = app.MapGroup("").ExcludeFromDescription().DisableAntiforgery();
        pages.MapGet("/", Dashboard);
        pages.MapPost("/", DashboardForm);
        pages.MapGet("/setup", (SetupModel setup, PageOutcomes outcomes, HttpContext context) =>
            Page<SetupPage>(setup.View(outcomes.Take<StepOutcome>(context))));
        pages.MapPost("/setup", async (IFormCollection form, SetupModel setup, PageOutcomes outcomes, HttpContext context, CancellationToken cancellationToken) =>
        {
            outcomes.Keep(context, await setup.RunStepAsync(form, cancellationToken));
            return TypedResults.Redirect("/setup");
        });
        pages.MapGet("/history/{vin}", async (string vin, string? from, string? to, string? session, HistoryModel history, CancellationToken cancellationToken) =>
            Page<HistoryPage>(await history.ViewAsync(vin, from, to, session, cancellationToken)));
        pages.MapPost("/history/{vin}", HistoryForm);
        pages.MapGet("/help", Help);
        return app;
    }

    /// <summary>The page, or with <c>?handler=Card&amp;vin=</c> one car's card and <c>?handler=Accounts</c> the accounts line,
    /// which the page's script swaps in after a live event.</summary>
    private static async Task<IResult> Dashboard(string? handler, string? vin, DashboardModel dashboard, PageOutcomes outcomes, HttpContext context,
        CancellationToken cancellationToken)
    {
        if (handler is null)
        {
            return Page<DashboardPage>(await dashboard.ViewAsync(outcomes.Take<CarOutcome>(context), cancellationToken));
        }

        if (Is(handler, "Accounts"))
        {
            return new ComponentPage<AccountsLine>(new Dictionary<string, object?>
            {
                [nameof(AccountsLine.Accounts)] = dashboard.Accounts,
                [nameof(AccountsLine.Now)] = dashboard.Now,
            });
        }

        return Is(handler, "Card") && await dashboard.CardAsync(vin, cancellationToken) is { } card
            ? new ComponentPage<CarSection>(new Dictionary<string, object?> { [nameof(CarSection.Car)] = card })
            : TypedResults.NotFound();
    }

    /// <summary>The dashboard's forms without script: <c>?handler=Command</c>, <c>ChargeControl</c> or <c>Refresh</c>.</summary>
    private static async Task<IResult> DashboardForm(string? handler, IFormCollection form, DashboardModel dashboard, PageOutcomes outcomes,
        HttpContext context, CancellationToken cancellationToken)
    {
        var vin = form["vin"].ToString();
        CarOutcome? outcome = null;
        if (Is(handler, "Command"))
        {
            outcome = await dashboard.CommandAsync(vin, form["command"].ToString(), cancellationToken);
        }
        else if (Is(handler, "ChargeControl"))
        {
            outcome = await dashboard.ChargeControlAsync(vin, form["percentageThreshold"].ToString(), form["stopAt"].ToString(), cancellationToken);
        }
        else if (Is(handler, "Refresh"))
        {
            outcome = await dashboard.RefreshAsync(vin, cancellationToken);
        }

        if (outcome is null)
        {
            return TypedResults.NotFound();
        }

        outcomes.Keep(context, outcome);
        return TypedResults.Redirect("/");
    }

    /// <summary>The history page's form: <c>?handler=Price</c> sets one session's price and goes back to its curve.</summary>
    private static async Task<IResult> HistoryForm(string vin, string? handler, IFormCollection form, HistoryModel history,
        CancellationToken cancellationToken)
    {
        if (!Is(handler, "Price"))
        {
            return TypedResults.NotFound();
        }

        var start = form["start"].ToString();
        var view = await history.SetPriceAsync(vin, form["from"], form["to"], start, form["pricePerKwh"].ToString(), cancellationToken);
        var query = QueryString.Create(new Dictionary<string, string?>
        {
            ["from"] = HistoryModel.Iso(view.From),
            ["to"] = HistoryModel.Iso(view.To),
            ["session"] = start,
        });
        return TypedResults.Redirect($"/history/{Uri.EscapeDataString(view.Vin)}{query}");
    }

    // An IResult, not the page's own type: the route table reads handlers' return types at start, and the component types
    // would load the components' assembly before anyone opens a page.
    private static IResult Page<TPage>(object model) where TPage : Microsoft.AspNetCore.Components.IComponent =>
        new ComponentPage<TPage>(new Dictionary<string, object?> { ["Model"] = model });

    private static bool Is(string? handler, string name) => string.Equals(handler, name, StringComparison.OrdinalIgnoreCase);

    /// <summary>The README, which says how to connect a car and what every setting means, as plain text.</summary>
    private static IResult Help()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("README.md");
        if (stream is null)
        {
            return TypedResults.NotFound();
        }

        using var reader = new StreamReader(stream);
        return TypedResults.Text(reader.ReadToEnd(), "text/plain; charset=utf-8");
    }
}
