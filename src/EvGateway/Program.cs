using EvGateway.Accounts;
using EvGateway.Charging;
using EvGateway.History;
using EvGateway.HomeAutomation;
using EvGateway.Hosting;
using EvGateway.Legacy;
using EvGateway.Manufacturers.Psa;
using EvGateway.Manufacturers.Renault;
using EvGateway.Vehicles;
using EvGateway.Web;

// The slim builder: no IIS integration, HTTP/3 or hosting-startup scanning, which a home gateway never uses and whose
// assemblies would stay loaded (the HTTPS endpoint configuration is added back in AddGatewayHosting).
var builder = WebApplication.CreateSlimBuilder(args);

builder.AddGatewayHosting();
builder.AddDemoMode();
builder.AddAccounts();
builder.Services.AddRenault(builder.Configuration);
builder.Services.AddPsa(builder.Configuration);
builder.Services.AddVehicles();
builder.Services.AddCharging(builder.Configuration);
builder.Services.AddHistory(builder.Configuration);
builder.Services.AddLegacy();
builder.Services.AddWeb();
builder.Services.AddHomeAutomation(builder.Configuration);

var app = builder.Build();
if (app.RunCommand(args) is { } exitCode) return exitCode;

app.UseGatewayHosting();
app.MapVehicles();
app.MapLegacy();
app.MapCharging();
app.MapHistory();
app.MapAccounts();
app.MapWeb();
app.MapHomeAutomation();

return app.RunGateway();

/// <summary>Entry point; public so WebApplicationFactory can host it in tests.</summary>
public partial class Program;
