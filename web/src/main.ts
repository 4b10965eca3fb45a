import I18NextVue from 'i18next-vue'
import { createApp } from 'vue'
import App from './App.vue'
import { setApiLanguage } from './api/client'
import { createI18n } from './i18n'
import { createAppRouter } from './router'
import './styles/base.css'

// The active language's strings arrive before the first paint, so no raw key ever flashes on screen.
const i18next = await createI18n()
setApiLanguage(i18next.language)
i18next.on('languageChanged', setApiLanguage)

createApp(App).use(I18NextVue, { i18next }).use(createAppRouter(i18next)).mount('#app')
