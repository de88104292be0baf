using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeliveryPredictions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AtDestinationCityAtUtc",
                table: "Shipments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PredictedAtUtc",
                table: "Shipments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PredictedDeliveryUtc",
                table: "Shipments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PredictedEarliestUtc",
                table: "Shipments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PredictedFromLane",
                table: "Shipments",
                type: "TEXT",
                maxLength: 24,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PredictedFromStage",
                table: "Shipments",
                type: "TEXT",
                maxLength: 24,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PredictedLatestUtc",
                table: "Shipments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DeliveryPredictions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShipmentId = table.Column<long>(type: "INTEGER", nullable: false),
                    MadeAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Lane = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Sample = table.Column<int>(type: "INTEGER", nullable: false),
                    ExpectedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EarliestUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LatestUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CarrierEstimateUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeliveryPredictions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DeliveryPredictions_Shipments_ShipmentId",
                        column: x => x.ShipmentId,
                        principalTable: "Shipments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Shipments_PredictedDeliveryUtc_Id",
                table: "Shipments",
                columns: new[] { "PredictedDeliveryUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_DeliveryPredictions_MadeAtUtc",
                table: "DeliveryPredictions",
                column: "MadeAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_DeliveryPredictions_ShipmentId_MadeAtUtc",
                table: "DeliveryPredictions",
                columns: new[] { "ShipmentId", "MadeAtUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeliveryPredictions");

            migrationBuilder.DropIndex(
                name: "IX_Shipments_PredictedDeliveryUtc_Id",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "AtDestinationCityAtUtc",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "PredictedAtUtc",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "PredictedDeliveryUtc",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "PredictedEarliestUtc",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "PredictedFromLane",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "PredictedFromStage",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "PredictedLatestUtc",
                table: "Shipments");
        }
    }
}
