using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using EvGateway.Vehicles;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using Prometheus;
using Serilog;
using Serilog.Events;
using Serilog.Settings.Configuration;

namespace EvGateway.Hosting;

/// <summary>Cross-cutting plumbing: settings, logging, errors, the LAN guard, API docs, health and metrics.</summary>
public static class HostingExtensions
{
    public static WebApplicationBuilder AddGatewayHosting(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        // --urls / ASPNETCORE_URLS win; otherwise the gateway's own setting (default http://0.0.0.0:5000).
        if (string.IsNullOrEmpty(configuration["urls"]))
        {
            builder.WebHost.UseUrls(configuration["Gateway:Urls"] ?? new GatewayOptions().Urls);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        // An https:// address or a Kestrel:Endpoints certificate keeps working under the slim builder.
        builder.WebHost.UseKestrelHttpsConfiguration();

        builder.Services.AddOptions<GatewayOptions>()
            .Bind(configuration.GetSection(GatewayOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => LanGuard.Parse(o.AllowedNetworks).Length > 0, "Gateway:AllowedNetworks holds no network.")
            // Each throws a line naming its key for a value it cannot use.
            .Validate(o => LanNames.Parse(o.AllowedHosts) is not null && LanCors.Parse(o) is not null)
            .ValidateOnStart();
        builder.Services.AddSingleton(services => LanNames.Parse(services.GetRequiredService<IOptions<GatewayOptions>>().Value.AllowedHosts));
        builder.Services.AddSingleton(services => LanCors.Parse(services.GetRequiredService<IOptions<GatewayOptions>>().Value));
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>().Configure<LanCors>(AddLanPolicy);

        // Serilog writes the console; other logger providers (tests capture the log through one) receive every event too.
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog((services, logger) => logger
            // The sinks are named here: without them Serilog opens every assembly beside the gateway's to look for some.
            .ReadFrom.Configuration(configuration, new ConfigurationReaderOptions(typeof(ConsoleLoggerConfigurationExtensions).Assembly))
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .MinimumLevel.Override("Polly", LogEventLevel.Warning)
            // A failed start is reported by RunGateway in one line; the host's own report is a stack trace.
            .MinimumLevel.Override("Microsoft.Extensions.Hosting.Internal.Host", LogEventLevel.Fatal)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}"),
            // Each host logs through its own logger, never the process-wide static one: two gateways in one process (tests)
            // would otherwise write into whichever configured it last.
            preserveStaticLogger: true,
            writeToProviders: true);
        CachingLoggerFactory.Register(builder.Services);

        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            // Answers are JSON for scripts, never embedded in HTML: keep "+01:00" readable instead of "\u002B01:00".
            json.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        // Binding failures (a word where a number goes, malformed JSON) become exceptions the error handler turns into 400s.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddGatewayProblemDetails();
        builder.Services.AddGatewayHealth();
        builder.Services.AddSingleton<IGatewayCommand, HealthCheckCommand>();
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "EvGateway",
                Version = "v1",
                Description = "One plain HTTP surface for Renault, Dacia, Alpine, Peugeot, Citroën, DS, Opel and Vauxhall cars. " +
                              "The /api routes speak JSON with ProblemDetails errors; the legacy routes answer exactly like psa_car_controller.",
            });
            var xml = Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetExecutingAssembly().GetName().Name}.xml");
            if (File.Exists(xml))
            {
                swagger.IncludeXmlComments(xml);
            }

            swagger.AddSecurityDefinition("ApiKey", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = LanGuard.ApiKeyHeader,
                Description = "Only when the gateway sets Gateway:ApiKey.",
            });
        });
        return builder;
    }

    public static WebApplication UseGatewayHosting(this WebApplication app)
    {
        // Before anything reads a setting: demo mode points the adapters at the simulated clouds.
        app.UseDemoMode();
        Directory.CreateDirectory(app.Configuration["Gateway:DataDirectory"] ?? new GatewayOptions().DataDirectory);
        // Outermost, so it logs the status the client really got after the error handler shaped it.
        app.UseSerilogRequestLogging(logging =>
        {
            logging.GetLevel = RequestLevel;
            // This host's logger: the process-wide static one is left silent (see AddSerilog above).
            logging.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
        });
        app.UseExceptionHandler();
        app.UseProblemBodies();
        app.UseMiddleware<HostGuard>();
        app.UseMiddleware<LanGuard>();
        // CORS only hides answers: a page of another site could still post a command, so its writes stop here.
        app.UseMiddleware<CrossOriginGuard>();
        // Only a browser's cross-origin request carries an Origin, and CORS has nothing to say to the others: the
        // middleware would still write to every request's Items.
        app.UseWhen(context => context.Request.Headers.ContainsKey(HeaderNames.Origin), cors => cors.UseCors());
        // The document is an endpoint rather than a middleware, so ordinary requests skip its path matching.
        app.MapSwagger();
        // Only requests for the UI reach its middleware, which matches every path against patterns and looks it up among its files.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase),
            swagger => swagger.UseSwaggerUI(ui => ui.DocumentTitle = "EvGateway"));
        app.MapMetrics("/metrics", app.Services.GetRequiredService<GatewayMetrics>().Registry);
        app.MapGatewayHealth();
        return app;
    }

    private static void AddLanPolicy(CorsOptions cors, LanCors lan) => cors.AddDefaultPolicy(policy =>
    {
        policy.AllowAnyMethod().AllowAnyHeader();
        if (lan.AllowsAnyOrigin)
        {
            policy.AllowAnyOrigin();
        }
        else
        {
            policy.SetIsOriginAllowed(lan.Allows);
        }
    });

    // Reads are polled many times a minute by home automation; they are logged at Debug so the log shows what changes
    // things (commands, settings) and what fails. A 501 is the car lacking what the caller asked for, not a failure.
    private static LogEventLevel RequestLevel(HttpContext context, double elapsedMs, Exception? failure) =>
        failure is not null || context.Response.StatusCode is >= 500 and not StatusCodes.Status501NotImplemented ? LogEventLevel.Error
        : context.Response.StatusCode >= 400 ? LogEventLevel.Warning
        : HttpMethods.IsGet(context.Request.Method) && !ActsOnCar(context) ? LogEventLevel.Debug
        : LogEventLevel.Information;

    private static bool ActsOnCar(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<CarAction>() is { } action && action.IsActing(context.Request);

    /// <summary>
    /// Runs the gateway; a start that fails on configuration or a taken port ends with one line per problem (naming
    /// the setting) and exit code 2 instead of a stack trace.
    /// </summary>
    public static int RunGateway(this WebApplication app)
    {
        try
        {
            app.Run();
            return 0;
        }
        catch (Exception failure) when (StartProblems(failure) is { Count: > 0 } problems)
        {
            foreach (var problem in problems)
            {
                Console.Error.WriteLine($"EvGateway cannot start: {problem}");
            }

            return 2;
        }
    }

    // "DataAnnotation validation failed for 'GatewayOptions' members: 'X' with the error: 'message'." → message.
    private static string WithoutDataAnnotationPreamble(string failure) =>
        failure.IndexOf("with the error: '", StringComparison.Ordinal) is var at and >= 0 ? failure[(at + 17)..].TrimEnd('.', '\'') : failure;

    internal static List<string> StartProblems(Exception failure) => failure switch
    {
        OptionsValidationException invalid => invalid.Failures.Select(WithoutDataAnnotationPreamble).Distinct().ToList(),
        IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } taken =>
            [$"{taken.Message} Choose another port with Gateway:Urls or --urls."],
        InvalidOperationException wrongType when wrongType.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            [wrongType.Message],
        AggregateException many => many.InnerExceptions.SelectMany(StartProblems).Distinct().ToList(),
        { InnerException: { } inner } => StartProblems(inner),
        _ => [],
    };
}
