using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Kpis : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "KpiDaily",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ShipperCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ServiceType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    WarehouseId = table.Column<int>(type: "INTEGER", nullable: false),
                    OriginProvince = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DestinationProvince = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Final = table.Column<int>(type: "INTEGER", nullable: false),
                    Delivered = table.Column<int>(type: "INTEGER", nullable: false),
                    WithPromise = table.Column<int>(type: "INTEGER", nullable: false),
                    OnTime = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstAttempt = table.Column<int>(type: "INTEGER", nullable: false),
                    Exceptions = table.Column<int>(type: "INTEGER", nullable: false),
                    Returned = table.Column<int>(type: "INTEGER", nullable: false),
                    TransitCount = table.Column<int>(type: "INTEGER", nullable: false),
                    TransitHoursSum = table.Column<double>(type: "REAL", nullable: false),
                    TransitHistogram = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KpiDaily", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "KpiRollupState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    WatermarkFinalAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    WatermarkShipmentId = table.Column<long>(type: "INTEGER", nullable: false),
                    LastReverseShipmentId = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RebuiltAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KpiRollupState", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SlaRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShipperCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    OriginProvince = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    DestinationProvince = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PromisedDays = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SlaRules", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_KpiDaily_Day_ShipperCode_ServiceType_WarehouseId_OriginProvince_DestinationProvince",
                table: "KpiDaily",
                columns: new[] { "Day", "ShipperCode", "ServiceType", "WarehouseId", "OriginProvince", "DestinationProvince" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SlaRules_ShipperCode_OriginProvince_DestinationProvince",
                table: "SlaRules",
                columns: new[] { "ShipperCode", "OriginProvince", "DestinationProvince" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KpiDaily");

            migrationBuilder.DropTable(
                name: "KpiRollupState");

            migrationBuilder.DropTable(
                name: "SlaRules");
        }
    }
}
