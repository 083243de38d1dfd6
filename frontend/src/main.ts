import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { installRouter } from './lib/router.svelte';
import { i18n } from './lib/i18n/index.svelte';

document.documentElement.lang = i18n.lang;
installRouter();
mount(App, { target: document.getElementById('app')! });
