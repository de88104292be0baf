using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.PostgreSql
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
                type: "timestamp without time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PredictedAtUtc",
                table: "Shipments",
                type: "timestamp without time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PredictedDeliveryUtc",
                table: "Shipments",
                type: "timestamp without time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PredictedEarliestUtc",
                table: "Shipments",
                type: "timestamp without time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PredictedFromLane",
                table: "Shipments",
                type: "character varying(24)",
                maxLength: 24,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PredictedFromStage",
                table: "Shipments",
                type: "character varying(24)",
                maxLength: 24,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PredictedLatestUtc",
                table: "Shipments",
                type: "timestamp without time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DeliveryPredictions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ShipmentId = table.Column<long>(type: "bigint", nullable: false),
                    MadeAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    Stage = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Lane = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Sample = table.Column<int>(type: "integer", nullable: false),
                    ExpectedUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    EarliestUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    LatestUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    CarrierEstimateUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
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
