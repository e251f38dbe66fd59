import { WebSocket } from "ws";
import { WebSocketManager } from "@pulseboard/realtime-client";

const manager = new WebSocketManager({ url: "ws://127.0.0.1:8787/ws", WebSocket });
console.log(manager.httpUrl); // http://127.0.0.1:8787: polling and history go there
